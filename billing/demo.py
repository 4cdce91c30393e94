"""Demo лицевые счета for `make run`: a few dozen in Ивантеевка and Пушкино. Idempotent."""

import random

from django.conf import settings

from billing.matching import holder_surname
from billing.models import PersonalAccount

DEMO_ACCOUNTS = 36
_PLACES = {
    "Московская обл., г. Ивантеевка": (
        "ул. Толмачёва",
        "ул. Трудовая",
        "ул. Первомайская",
        "Советский пр-т",
        "ул. Заводская",
        "ул. Бережок",
        "ул. Хлебозаводская",
        "Центральный пр-д",
    ),
    "Московская обл., г. Пушкино": (
        "Московский пр-т",
        "ул. Горького",
        "ул. Институтская",
        "ул. Тургенева",
        "ул. Некрасова",
        "Писаревский пр-д",
    ),
}
_HOLDERS = (
    "Соловьёв А. В.",
    "Королёва Н. С.",
    "Иванов П. И.",
    "Смирнова Е. А.",
    "Кузнецов Д. М.",
    "Попова О. Н.",
    "Васильев С. Г.",
    "Петрова М. В.",
    "Семёнов В. П.",
    "Фёдорова Т. Ю.",
    "Морозов И. К.",
    "Волкова А. Д.",
    "Воробьёв Н. Н.",
    "Лебедева Г. Ф.",
    "Новиков Р. Е.",
    "Козлова Л. И.",
    "Мельников Ю. А.",
    "Зайцева В. С.",
)


def _number(index: int) -> str:
    """5000000001, 5000000002, … in whatever length the billing system uses."""
    return "5" + str(index).zfill(settings.BILLING_ACCOUNT_NUMBER_LENGTH - 1)


def seed_accounts() -> tuple[str, str]:
    """Create or refresh the demo accounts; returns a number and surname a developer can link."""
    rng = random.Random(2026)  # noqa: S311 — demo data: the same accounts on every run
    accounts = []
    for index in range(1, DEMO_ACCOUNTS + 1):
        town, streets = rng.choice(list(_PLACES.items()))
        flat = f", кв. {rng.randint(1, 120)}" if rng.random() < 0.7 else ""
        accounts.append(
            PersonalAccount(
                number=_number(index),
                address=f"{town}, {rng.choice(streets)}, д. {rng.randint(1, 45)}{flat}",
                holder_name=_HOLDERS[(index - 1) % len(_HOLDERS)],
                meter_number=str(rng.randint(10_000_000, 99_999_999)),
                status=(
                    PersonalAccount.Status.CLOSED
                    if index % 12 == 0
                    else PersonalAccount.Status.ACTIVE
                ),
            )
        )
    PersonalAccount.objects.bulk_create(
        accounts,
        update_conflicts=True,
        unique_fields=["number"],
        update_fields=["address", "holder_name", "meter_number", "status"],
    )
    return linkable_account()


def linkable_account() -> tuple[str, str]:
    """The demo account a developer can link: its number and its holder's surname."""
    account = PersonalAccount.objects.get(number=_number(1))
    return account.number, holder_surname(account.holder_name)
