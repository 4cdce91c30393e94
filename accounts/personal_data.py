"""What the accounts app holds about a person (see `lkk.personal_data`): the account itself, the
changes of its address, where it is signed in, and its second factor (django-otp's devices)."""

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import EmailChange, SignedInSession, User
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


# --- Where the person is signed in («Где выполнен вход») ------------------------------------------


def _signed_in_export(user: User) -> list[pd.Row]:
    sessions = SignedInSession.objects.filter(user=user).order_by("signed_in_at", "pk")
    return [
        {
            "Вход": _moment(session.signed_in_at),
            "Последняя активность": _moment(session.last_seen_at),
            "Браузер": session.user_agent,
            "IP-адрес (без последней части)": session.masked_ip,
        }
        for session in sessions
    ]


def _signed_in_erase(erasure: pd.Erasure) -> pd.Counts:
    deleted, _ = SignedInSession.objects.filter(user=erasure.user).delete()
    return {"сведения о сеансах входа (браузер, IP-адрес) удалены": deleted}


def _signed_in_expire(now: datetime.datetime, dry_run: bool) -> pd.Counts:
    """A session's record goes with the session; these are what an expired session left."""
    old = SignedInSession.objects.filter(session__expire_date__lt=now)
    return {"сведения об истёкших сеансах входа (удалены)": pd.expire_rows(old, dry_run=dry_run)}


# --- The second factor (django-otp's devices) ----------------------------------------------------


def _second_factor_export(user: User) -> list[pd.Row]:
    """That the factor is there and when it was used: never the secret key or the codes, which
    would let whoever holds the export pass the second factor."""
    rows: list[pd.Row] = [
        {
            "Что": "приложение-аутентификатор"
            + ("" if device.confirmed else " (подключение не завершено)"),
            "Подключено": _moment(device.created_at),
            "Последнее использование": _moment(device.last_used_at),
        }
        for device in TOTPDevice.objects.filter(user=user).order_by("pk")
    ]
    codes = dict(
        StaticToken.objects.filter(device__user=user)
        .values("device_id")
        .annotate(n=Count("pk"))
        .values_list("device_id", "n")
    )
    rows += [
        {
            "Что": f"коды восстановления (осталось неиспользованных: {codes.get(device.pk, 0)})",
            "Подключено": _moment(device.created_at),
            "Последнее использование": _moment(device.last_used_at),
        }
        for device in StaticDevice.objects.filter(user=user).order_by("pk")
    ]
    return rows


def _second_factor_erase(erasure: pd.Erasure) -> pd.Counts:
    totp, _ = TOTPDevice.objects.filter(user=erasure.user).delete()
    static, _ = StaticDevice.objects.filter(user=erasure.user).delete()  # its codes with it
    return {"второй фактор входа (ключ и коды восстановления удалены)": totp + static}


def _second_factor_expire(now: datetime.datetime, dry_run: bool) -> pd.Counts:
    old = TOTPDevice.objects.filter(
        confirmed=False,
        created_at__lt=pd.older_than(now, "SECOND_FACTOR_UNCONFIRMED_RETENTION_DAYS"),
    )
    return {
        "неподтверждённые приложения-аутентификаторы (удалены)": pd.expire_rows(
            old, dry_run=dry_run
        )
    }


pd.register(
    pd.Category(
        key="accounts.signed_in_sessions",
        title="Где выполнен вход",
        data=(
            "браузер и устройство",
            "IP-адрес без последней части",
            "время входа и последней активности",
        ),
        purpose="показать вам, где выполнен вход, и дать завершить чужой сеанс",
        legal_basis=pd.Basis.LEGITIMATE_INTEREST,
        source=pd.Source.PORTAL,
        retention=pd.Retention(description="до выхода, завершения или истечения сеанса"),
        models=("accounts.SignedInSession",),
        export=_signed_in_export,
        erase=_signed_in_erase,
        expire=_signed_in_expire,
        show_order=2,
    ),
    pd.Category(
        key="accounts.second_factor",
        title="Второй фактор входа",
        data=(
            "секретный ключ приложения-аутентификатора",
            "одноразовые коды восстановления",
            "время подключения и последнего использования",
        ),
        purpose="защита учётной записи: вход по паролю и коду из приложения",
        legal_basis=pd.Basis.CONSENT,
        source=pd.Source.PORTAL,
        retention=pd.Retention(
            "SECOND_FACTOR_UNCONFIRMED_RETENTION_DAYS",
            1,
            "для неподтверждённого подключения; подключённый — до отключения второго фактора",
        ),
        models=("otp_totp.TOTPDevice", "otp_static.StaticDevice", "otp_static.StaticToken"),
        export=_second_factor_export,
        erase=_second_factor_erase,
        expire=_second_factor_expire,
        show_order=3,
    ),
)
