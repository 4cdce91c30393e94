"""«Начисления», a month's detail and «Платежи»: what they say, in a fixed number of queries
however many years of history the account has."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from billing.models import AccountLink
from bills.models import Charge, Payment

pytestmark = pytest.mark.django_db


def months_back(count: int) -> list[datetime.date]:
    periods, period = [], datetime.date(2026, 11, 1)
    for _ in range(count):
        periods.append(period)
        period = (period - datetime.timedelta(days=1)).replace(day=1)
    return periods


@pytest.fixture
def history(link, make_month, pay):
    """`history(years)`: that many years of months, each paid in the next month."""

    def make(years: int) -> None:
        for period in months_back(12 * years):
            make_month(link.account, period)
            pay(link.account, period + datetime.timedelta(days=40), "1995.00", period)

    return make


def test_a_month_explains_each_line_and_the_recalculation(client, alice, link, make_month):
    make_month(link.account, datetime.date(2026, 11, 1), recalculation=Decimal("-83.40"))
    client.force_login(alice)

    page = client.get(reverse("bills:charge", args=[link.pk, 2026, 11])).content.decode()
    page = page.replace("\u00a0", " ")

    assert "Начисления за ноябрь 2026" in page
    assert "Электроэнергия, день" in page
    assert "15000 → 15200" in page
    assert "показания потребителя" in page
    assert "среднемесячный объём" in page
    assert "8,34" in page
    assert "1 668,00 ₽" in page
    assert "Электроэнергия за октябрь 2026: уменьшено на 83,40 ₽." in page
    assert "Причина: Показания переданы после расчёта." in page


def test_payments_show_the_month_each_was_applied_to(client, alice, link, make_month, pay):
    pay(link.account, datetime.date(2026, 11, 8), "1995.00", datetime.date(2026, 10, 1))
    client.force_login(alice)

    page = client.get(reverse("bills:payments", args=[link.pk])).content.decode()

    assert "08.11.2026" in page
    assert "октябрь 2026" in page
    assert reverse("bills:charge", args=[link.pk, 2026, 10]) in page


@pytest.mark.parametrize("url_name", ["billing:dashboard", "bills:charges", "bills:payments"])
def test_pages_take_the_same_queries_with_five_years_of_history(
    client, alice, link, history, url_name, django_assert_max_num_queries
):
    args = [] if url_name == "billing:dashboard" else [link.pk]
    client.force_login(alice)
    history(1)
    with django_assert_max_num_queries(100) as one_year:
        assert client.get(reverse(url_name, args=args)).status_code == 200

    Charge.objects.all().delete()
    Payment.objects.all().delete()
    history(5)
    with django_assert_max_num_queries(len(one_year.captured_queries)):
        response = client.get(reverse(url_name, args=args))

    assert response.status_code == 200
    assert Charge.objects.filter(account=link.account).count() == 60


def test_the_dashboard_takes_three_more_queries_for_any_number_of_accounts(
    client, alice, link, make_month, django_assert_max_num_queries
):
    from billing.models import PersonalAccount

    for index in range(2, 6):
        account = PersonalAccount.objects.create(
            number=f"100000000{index}", holder_name="Иванова А. П.", address="г. Пушкино"
        )
        AccountLink.objects.create(user=alice, account=account, factor="surname")
        make_month(account, datetime.date(2026, 11, 1))
    client.force_login(alice)

    # Billing's own ten (see tests/billing/test_dashboard.py) and three for the balances: the
    # latest months, the payments since, the last payments.
    with django_assert_max_num_queries(13):
        response = client.get(reverse("billing:dashboard"))

    assert response.content.decode().count("К оплате") == 4


def test_a_corrected_month_shows_the_new_version_and_keeps_the_earlier_one(client, alice, link):
    from bills.importer import charges_import
    from tests.bills.conftest import charges_file, month_rows

    charges_import(charges_file(month_rows("1000000001", "11.2026")))
    charges_import(charges_file(month_rows("1000000001", "11.2026", day_amount="1500,00")))
    client.force_login(alice)

    listing = client.get(reverse("bills:charges", args=[link.pk])).content.decode()
    month = client.get(reverse("bills:charge", args=[link.pk, 2026, 11])).content.decode()

    assert "исправлено" in listing
    assert "1\u00a0827,00 ₽" in listing
    assert "это исправленная версия 2" in month
    assert "Прежние версии месяца" in month
    assert "Версия 1" in month
    assert "начислено 1\u00a0995,00 ₽" in month


def test_the_dashboard_shows_an_imported_month_at_once(client, alice, link):
    """The dashboard is kept between pages (billing.views): an import starts it again."""
    from bills.importer import charges_import
    from tests.bills.conftest import charges_file, month_rows

    client.force_login(alice)
    assert "Начислений пока нет" in client.get(reverse("billing:dashboard")).content.decode()

    charges_import(charges_file(month_rows("1000000001", "11.2026")))

    page = client.get(reverse("billing:dashboard")).content.decode()
    assert "Начислений пока нет" not in page
    assert "К оплате" in page
