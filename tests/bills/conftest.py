"""Alice's account with months and payments, and ways to make billing's charges files."""

import csv
import datetime
import io
from decimal import Decimal

import pytest

from billing.models import AccountLink, PersonalAccount
from bills.models import Charge, ChargeLine, Payment, VolumeSource, Zone

ALICES_NUMBER = "1000000001"


@pytest.fixture
def account() -> PersonalAccount:
    """Alice's account as the billing system knows it."""
    return PersonalAccount.objects.create(
        number=ALICES_NUMBER,
        holder_name="Иванова А. П.",
        address="Московская обл., г. Ивантеевка, ул. Толмачёва, д. 5, кв. 12",
    )


@pytest.fixture
def link(alice, account) -> AccountLink:
    """Alice's link to her account."""
    return AccountLink.objects.create(user=alice, account=account, factor="surname")


@pytest.fixture
def make_month():
    """A month of an account with a day and a night line; balances follow from the numbers."""

    def make(
        account: PersonalAccount,
        period: datetime.date,
        *,
        opening: Decimal = Decimal(0),
        paid: Decimal = Decimal(0),
        due_date: datetime.date | None = None,
        recalculation: Decimal | None = None,
    ) -> Charge:
        lines = [
            ChargeLine(
                position=1,
                service="Электроэнергия",
                zone=Zone.DAY,
                volume=Decimal(200),
                source=VolumeSource.READINGS,
                tariff=Decimal("8.34"),
                amount=Decimal("1668.00"),
                reading_start=Decimal(15000),
                reading_end=Decimal(15200),
            ),
            ChargeLine(
                position=2,
                service="Электроэнергия",
                zone=Zone.NIGHT,
                volume=Decimal(100),
                source=VolumeSource.AVERAGE,
                tariff=Decimal("3.27"),
                amount=Decimal("327.00"),
            ),
        ]
        if recalculation is not None:
            previous = (period - datetime.timedelta(days=1)).replace(day=1)
            lines.append(
                ChargeLine(
                    position=3,
                    kind=ChargeLine.Kind.RECALCULATION,
                    service="Электроэнергия",
                    volume=Decimal(-10),
                    source=VolumeSource.READINGS,
                    tariff=Decimal("8.34"),
                    amount=recalculation,
                    recalculated_period=previous,
                    reason="Показания переданы после расчёта.",
                )
            )
        charged = sum((line.amount for line in lines), Decimal(0))
        closing = opening + charged - paid
        next_month = (period + datetime.timedelta(days=32)).replace(day=1)
        charge = Charge.objects.create(
            account=account,
            period=period,
            opening_balance=opening,
            charged=charged,
            paid=paid,
            closing_balance=closing,
            amount_due=max(closing, Decimal(0)),
            due_date=due_date or next_month.replace(day=15),
            digest=f"test-{period}",
        )
        for line in lines:
            line.charge = charge
        ChargeLine.objects.bulk_create(lines)
        return charge

    return make


@pytest.fixture
def pay():
    def make(
        account: PersonalAccount, paid_on: datetime.date, amount: str, period: datetime.date
    ) -> Payment:
        return Payment.objects.create(
            account=account,
            external_id=f"P-{account.number}-{paid_on}-{amount}",
            paid_on=paid_on,
            amount=Decimal(amount),
            channel=Payment.Channel.BANK,
            period=period,
        )

    return make


CHARGES_HEADER = (
    "Лицевой счёт",
    "Период",
    "№ строки",
    "Вид строки",
    "Услуга",
    "Зона",
    "Объём",
    "Источник",
    "Тариф",
    "Сумма",
    "Показание начальное",
    "Показание конечное",
    "Период перерасчёта",
    "Причина перерасчёта",
    "Сальдо на начало",
    "Оплачено",
    "Сальдо на конец",
    "К оплате",
    "Оплатить до",
)


def charges_file(rows: list[list[str]]) -> io.BytesIO:
    """A charges export as billing writes it: CSV, `;`, Windows-1251."""
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow(CHARGES_HEADER)
    writer.writerows(rows)
    return io.BytesIO(text.getvalue().encode("cp1251"))


def month_rows(number: str, month: str, *, day_amount: str = "1668,00") -> list[list[str]]:
    """Two lines of a month (day and night) with totals that agree."""
    total = Decimal(day_amount.replace(",", ".")) + Decimal("327.00")
    shown = f"{total:.2f}".replace(".", ",")
    totals = ["0", "0", shown, shown, ""]
    return [
        [number, month, "1", "начисление", "Электроэнергия", "день", "200", "показания",
         "8,34", day_amount, "15000", "15200", "", "", *totals],
        [number, month, "2", "начисление", "Электроэнергия", "ночь", "100", "среднее",
         "3,27", "327,00", "", "", "", "", *totals],
    ]  # fmt: skip
