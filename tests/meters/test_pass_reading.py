"""A consumer passes a reading from the account page: form → confirmation with the estimate →
receipt, a letter after commit; anyone else's meter is not found."""

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from meters.models import Reading

pytestmark = pytest.mark.django_db


def post(client, meter, *, send: bool = False, **data):
    fields = {f"m{meter.pk}-{name}": value for name, value in data.items()}
    return client.post(
        reverse("meters:pass", args=[meter.pk]), fields | ({"send": "1"} if send else {})
    )


def test_the_account_page_shows_each_meter_with_its_form_window_and_state(
    client, alice, holding, meter, clock
):
    client.force_login(alice)

    page = client.get(reverse("billing:account", args=[holding.pk])).content.decode()

    assert "Счётчик № 38124577" in page
    assert "Показания принимаются с 15 по 25 декабря включительно" in page
    assert "учтены в расчёте за декабрь 2026" in page
    assert "Предыдущее учтённое: 12" in page and "от 20.11.2026" in page
    assert "ещё не переданы" in page
    assert f'action="{reverse("meters:pass", args=[meter.pk])}"' in page


def test_the_account_page_warns_three_months_before_the_verification_date(
    client, alice, holding, make_meter, clock
):
    import datetime

    make_meter(serial_number="1", verification_due=datetime.date(2027, 3, 1))
    make_meter(serial_number="2", verification_due=datetime.date(2026, 11, 1))
    make_meter(serial_number="3", verification_due=datetime.date(2027, 6, 1))
    client.force_login(alice)

    page = client.get(reverse("billing:account", args=[holding.pk])).content.decode()

    assert page.count("скоро поверка") == 1
    assert page.count("срок поверки истёк") == 1


def test_outside_the_window_the_form_says_the_reading_goes_to_the_next_period(
    client, alice, holding, meter, clock
):
    from tests.meters.conftest import moscow

    clock(moscow(2026, 12, 28, 10))
    client.force_login(alice)

    page = client.get(reverse("meters:pass", args=[meter.pk])).content.decode()

    assert "будут учтены в расчёте за январь 2027" in page


def test_check_then_send_stores_the_reading_and_shows_the_receipt_with_a_letter(
    client, alice, holding, meter, tariffs, clock, django_capture_on_commit_callbacks
):
    client.force_login(alice)

    confirm = post(client, meter, t1="12150.5", t2="5080").content.decode()

    assert "Проверьте показания" in confirm
    assert "150,5" in confirm and "9,34" in confirm  # day: 150.5 kWh at today's 9.34 ₽
    assert "1405,67" in confirm and "311,20" in confirm and "1716,87" in confirm
    assert not Reading.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, meter, t1="12150.5", t2="5080", send=True)

    reading = Reading.objects.get()
    assert response.url == reverse("meters:receipt", args=[reading.number])
    assert re.fullmatch(r"ПП-2026-\d{6}", reading.number)
    assert (reading.value_t1, reading.value_t2, reading.source) == (
        Decimal("12150.5"),
        Decimal("5080.0"),
        Reading.Source.WEB,
    )
    assert reading.ip_address == "127.0.0.1" and reading.user == alice
    receipt = client.get(response.url).content.decode()
    assert reading.number in receipt and "декабрь 2026" in receipt and "передано" in receipt
    [letter] = mail.outbox
    assert letter.to == ["alice@example.ru"] and reading.number in letter.subject


def test_a_lower_value_is_refused_next_to_its_field(client, alice, holding, meter, clock):
    client.force_login(alice)

    page = post(client, meter, t1="11000", t2="5080", send=True).content.decode()

    assert "Показание меньше предыдущего учтённого" in page
    assert 'aria-invalid="true"' in page
    replacement = reverse("servicerequests:create", args=["zamena-schetchika"])
    assert f'href="{replacement}?meter={meter.pk}">Подайте заявку на замену счётчика' in page
    form = client.get(replacement, {"meter": meter.pk}).context["form"]
    assert form["meter"].value() == meter.pk
    assert not Reading.objects.exists()


def test_a_second_reading_in_the_period_replaces_the_first_and_both_stay(
    client, alice, holding, meter, clock
):
    client.force_login(alice)
    post(client, meter, t1="12100", t2="5050", send=True)
    post(client, meter, t1="12110", t2="5055", send=True)

    first, second = Reading.objects.order_by("pk")
    history = client.get(reverse("meters:history", args=[meter.pk])).content.decode()

    assert first.period == second.period
    assert "заменено более поздним показанием" in history
    assert history.count("передано") >= 1


def test_another_consumer_gets_404_everywhere(client, bob, holding, meter, clock):
    Reading.objects.create(
        number="ПП-2026-000001",
        meter=meter,
        period="2026-12-01",
        value_t1=12100,
        value_t2=5050,
        source="web",
        user=holding.user,
    )
    client.force_login(bob)

    for url in (
        reverse("meters:pass", args=[meter.pk]),
        reverse("meters:history", args=[meter.pk]),
        reverse("meters:history_csv", args=[meter.pk]),
        reverse("meters:receipt", args=["ПП-2026-000001"]),
    ):
        assert client.get(url).status_code == 404, url
    assert post(client, meter, t1="12100", t2="5050", send=True).status_code == 404


def test_the_account_page_costs_the_same_queries_for_one_meter_or_many(
    client, alice, holding, make_meter, clock, django_assert_max_num_queries
):
    make_meter(serial_number="1")
    client.force_login(alice)
    url = reverse("billing:account", args=[holding.pk])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(2, 8):
        make_meter(serial_number=str(n))

    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(url)


def test_submitting_takes_a_constant_number_of_queries(
    client, alice, holding, meter, usual_months, tariffs, clock, django_assert_max_num_queries
):
    client.force_login(alice)
    # Session, user, meter, averages, holder, the lock and the daily limit, sequence, insert and
    # the transaction: none grows with the history.
    with django_assert_max_num_queries(15):
        post(client, meter, t1="12150", t2="5080", send=True)
    assert Reading.objects.count() == 1


def test_a_jump_is_confirmed_by_ticking_the_box_and_recorded(
    client, alice, holding, meter, usual_months, clock
):
    client.force_login(alice)

    asked = post(client, meter, t1="13000", t2="5080").content.decode()
    assert "больше чем в 3 раза превышает средний" in asked
    assert "Показание верное: расход действительно такой" in asked

    confirm = post(client, meter, t1="13000", t2="5080", confirm_jump="on").content.decode()
    assert "Проверьте показания" in confirm
    post(client, meter, t1="13000", t2="5080", confirm_jump="on", send=True)

    assert Reading.objects.get().jump_confirmed


def test_a_remote_read_meter_shows_why_instead_of_a_form(client, alice, holding, make_meter, clock):
    meter = make_meter(remote_read=True)
    client.force_login(alice)

    page = client.get(reverse("meters:pass", args=[meter.pk])).content.decode()
    refused = post(client, meter, t1="12100", t2="5050", send=True).content.decode()

    assert "снимаются автоматически (ИСУ)" in page and '<form method="post" class' not in page
    assert "снимаются автоматически (ИСУ)" in refused
    assert not Reading.objects.exists()


def test_outside_the_window_the_operator_may_refuse_on_the_page(
    client, alice, holding, meter, clock, settings
):
    from tests.meters.conftest import moscow

    settings.METERS_OUTSIDE_WINDOW = "refuse"
    clock(moscow(2026, 12, 26, 0, 0, 1))
    client.force_login(alice)

    page = post(client, meter, t1="12100", t2="5050", send=True).content.decode()

    assert "Показания принимаются с 15 января по 25 января." in page
    assert not Reading.objects.exists()
