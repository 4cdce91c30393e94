"""What the accounts app holds about a person: the account itself (see `lkk.personal_data`)."""

from typing import Any

from django.utils import timezone

from accounts.models import User
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


def _export(user: User) -> list[pd.Row]:
    def moment(value: Any) -> Any:
        return timezone.localtime(value) if value else None

    return [
        {
            "Фамилия": user.last_name,
            "Имя": user.first_name,
            "Отчество": user.patronymic,
            "Адрес электронной почты": user.email,
            "Мобильный телефон": user.phone,
            "Дата регистрации": moment(user.date_joined),
            "Последний вход": moment(user.last_login),
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
            description="до отзыва согласия или уничтожения по требованию субъекта"
        ),
        models=("accounts.User",),
        export=_export,
        erase=_erase,
        identifiers=_identifiers,
        erase_order=1000,
        show_order=0,
    )
)
