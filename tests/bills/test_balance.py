"""The balance in words, on the dashboard and the charges page."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from bills.balance import Balance, account_summaries, rubles

NBSP = "\u00a0"


def words(text: str) -> str:
    return text.replace(NBSP, " ")


def test_a_debt_is_due_by_the_date_in_words():
    balance = Balance(
        owed=Decimal("1234.56"),
        due_date=datetime.date(2027, 1, 15),
        today=datetime.date(2027, 1, 3),
    )

    assert words(balance.text) == "К оплате 1 234,56 ₽ до 15 января"
    assert balance.amount_to_pay == Decimal("1234.56")


def test_an_overpayment_is_named_as_such():
    balance = Balance(
        owed=Decimal("-120"), due_date=datetime.date(2027, 1, 15), today=datetime.date(2027, 1, 3)
    )

    assert words(balance.text) == "Переплата 120,00 ₽"
    assert balance.amount_to_pay == 0


def test_nothing_owed_is_no_debt():
    balance = Balance(
        owed=Decimal("0.00"), due_date=datetime.date(2027, 1, 15), today=datetime.date(2027, 1, 3)
    )

    assert balance.text == "Задолженности нет"


def test_an_overdue_debt_says_so_politely():
    balance = Balance(
        owed=Decimal("980.10"),
        due_date=datetime.date(2027, 1, 15),
        today=datetime.date(2027, 1, 16),
    )

    assert balance.is_overdue
    assert words(balance.text) == (
        "К оплате 980,10 ₽ — срок оплаты был до 15 января. Пожалуйста, оплатите, как только сможете"
    )


def test_a_due_date_in_another_year_carries_the_year():
    balance = Balance(
        owed=Decimal(5), due_date=datetime.date(2027, 1, 15), today=datetime.date(2026, 12, 20)
    )

    assert words(balance.text) == "К оплате 5,00 ₽ до 15 января 2027 г."


def test_amounts_group_thousands_and_never_break():
    assert rubles(Decimal("1234567.5")) == f"1{NBSP}234{NBSP}567,50{NBSP}₽"


@pytest.mark.django_db
def test_payments_after_the_month_reduce_what_is_owed(account, make_month, pay):
    make_month(account, datetime.date(2026, 10, 1))  # 1 995,00 ₽ due
    pay(account, datetime.date(2026, 11, 5), "1000.00", datetime.date(2026, 10, 1))
    pay(account, datetime.date(2026, 10, 20), "500.00", datetime.date(2026, 9, 1))  # in the month

    summary = account_summaries([account.pk])[account.pk]

    assert summary.balance.owed == Decimal("995.00")
    assert summary.last_payment.paid_on == datetime.date(2026, 11, 5)


@pytest.mark.django_db
def test_the_dashboard_shows_the_balance_and_the_last_payment(client, alice, link, make_month, pay):
    make_month(link.account, datetime.date(2026, 10, 1))
    pay(link.account, datetime.date(2026, 11, 8), "2095.00", datetime.date(2026, 10, 1))
    client.force_login(alice)

    page = words(client.get(reverse("billing:dashboard")).content.decode())

    assert "Переплата 100,00 ₽" in page
    assert "Последний платёж: 2 095,00 ₽ от 8 ноября 2026 г." in page
    assert reverse("bills:charges", args=[link.pk]) in page
