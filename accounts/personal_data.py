"""What the accounts app holds about a person: the account itself (see `lkk.personal_data`)."""

from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import EmailChange, User
from lkk import personal_data as pd


def _identifiers(user: User) -> list[str]:
    return [
        user.email,
        user.phone,
        user.last_name,
        user.first_name,
        user.get_full_name(),
        " ".join(p for p in (user.first_name, user.patronymic) if p),
        " ".join(p for p in (user.last_name, user.first_name) if p),
        " ".join(p for p in (user.last_name, user.first_name, user.patronymic) if p),
    ]


def _moment(value: Any) -> Any:
    return timezone.localtime(value) if value else None


def _export(user: User) -> list[pd.Row]:
    return [
        {
            "Фамилия": user.last_name,
            "Имя": user.first_name,
            "Отчество": user.patronymic,
            "Адрес электронной почты": user.email,
            "Мобильный телефон": user.phone,
            "Дата регистрации": _moment(user.date_joined),
            "Последний вход": _moment(user.last_login),
        }
    ]


def _erase(erasure: pd.Erasure) -> pd.Counts:
    """The account stays as a pseudonymous shell that the kept records point at."""
    user = erasure.user
    user.email = erasure.placeholder_email
    user.last_name = user.first_name = user.patronymic = user.phone = ""
    user.set_unusable_password()
    user.is_active = False
    user.awaiting_email_confirmation = False
    user.save()
    return {"учётная запись (ФИО, адрес, телефон и пароль уничтожены)": 1}


def _email_changes_identifiers(user: User) -> list[str]:
    rows = EmailChange.objects.filter(user=user).values_list("old_email", "new_email")
    return [address for row in rows for address in row]


def _email_changes_export(user: User) -> list[pd.Row]:
    return [
        {
            "Запрошено": _moment(change.requested_at),
            "Прежний адрес": change.old_email,
            "Новый адрес": change.new_email,
            "Подтверждено": timezone.localtime(change.confirmed_at)
            if change.confirmed_at
            else None,
        }
        for change in EmailChange.objects.filter(user=user).order_by("requested_at", "pk")
    ]


def _email_changes_erase(erasure: pd.Erasure) -> pd.Counts:
    deleted, _ = EmailChange.objects.filter(user=erasure.user).delete()
    return {"запросы смены адреса электронной почты (удалены)": deleted}


def _email_changes_expire(now, dry_run: bool) -> pd.Counts:
    old = EmailChange.objects.filter(
        requested_at__lt=pd.older_than(now, "EMAIL_CHANGE_RETENTION_DAYS")
    )
    return {
        "запросы смены адреса электронной почты (удалены)": pd.expire_rows(old, dry_run=dry_run)
    }


def _unconfirmed_expire(now, dry_run: bool) -> pd.Counts:
    """Registrations whose address was never confirmed: the account is destroyed as on request,
    category by category; the consent records stay, depersonalized, as the evidence of what
    was agreed (152-FZ art. 9 p. 3)."""
    # Waiting for confirmation, or set aside by a later registration of the same address
    # (accounts.services._registration_retire), which keeps its consent records' origins.
    stale = User.objects.filter(
        Q(awaiting_email_confirmation=True) | Q(email__endswith="@unconfirmed.invalid"),
        is_active=False,
        date_joined__lt=pd.older_than(now, "UNCONFIRMED_REGISTRATION_RETENTION_DAYS"),
    )
    if dry_run:
        return {"неподтверждённые регистрации (уничтожены)": stale.count()}
    destroyed = 0
    for user_id in stale.values_list("pk", flat=True).iterator():
        with transaction.atomic():  # one account at a time: a failure stops only that one
            user = User.objects.select_for_update().get(pk=user_id)
            if not user.is_active:
                pd.erase_all(user=user, actor=None, reference=pd.subject_reference(user.pk))
                destroyed += 1
    return {"неподтверждённые регистрации (уничтожены)": destroyed}


pd.register(
    pd.Category(
        key="accounts.profile",
        title="Учётная запись",
        data=(
            "фамилия, имя, отчество",
            "адрес электронной почты",
            "номер мобильного телефона",
            "пароль (в виде хеша)",
            "дата регистрации и последнего входа",
        ),
        purpose="регистрация и вход в личный кабинет, связь с потребителем по его обращениям",
        legal_basis=pd.Basis.CONSENT,
        source=pd.Source.PERSON,
        retention=pd.Retention(
            "UNCONFIRMED_REGISTRATION_RETENTION_DAYS",
            30,
            "для регистраций без подтверждённого адреса; остальные — до отзыва согласия или "
            "уничтожения по требованию субъекта",
        ),
        models=("accounts.User",),
        export=_export,
        erase=_erase,
        expire=_unconfirmed_expire,
        identifiers=_identifiers,
        erase_order=1000,
        show_order=0,
    )
)
pd.register(
    pd.Category(
        key="accounts.email_changes",
        title="Смена адреса электронной почты",
        data=("прежний и новый адрес электронной почты", "время запроса и подтверждения"),
        purpose="подтверждение нового адреса и уведомление прежнего о смене",
        legal_basis=pd.Basis.CONSENT,
        source=pd.Source.PERSON,
        retention=pd.Retention("EMAIL_CHANGE_RETENTION_DAYS", 30),
        models=("accounts.EmailChange",),
        export=_email_changes_export,
        erase=_email_changes_erase,
        expire=_email_changes_expire,
        identifiers=_email_changes_identifiers,
        show_order=1,
    )
)
