"""Every check of a reading, each with its Russian message next to its field."""

import datetime
from decimal import Decimal

import pytest

from billing.models import PersonalAccount
from meters import services
from meters.forms import ReadingForm
from meters.models import Meter, Reading
from meters.window import reading_window
from tests.meters.conftest import moscow

pytestmark = pytest.mark.django_db


def form_for(meter: Meter, averages=None, **data) -> ReadingForm:
    return ReadingForm(
        {f"m{meter.pk}-{name}": value for name, value in data.items()},
        meter=meter,
        averages=averages or {},
    )


def test_good_values_give_the_consumption_per_zone(meter):
    form = form_for(meter, t1="12150,5", t2="5080")

    assert form.is_valid(), form.errors
    assert form.values == {1: Decimal("12150.5"), 2: Decimal("5080")}
    assert [line.consumption for line in form.lines.values()] == [Decimal("150.5"), Decimal(80)]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Введите показание."),
        ("12 15a", "Введите число: до 6 цифр до запятой и не больше 1 знака после неё"),
        ("1234567", "Введите число: до 6 цифр до запятой"),
        ("12150.55", "не больше 1 знака после неё"),
        ("-12150", "Введите число"),
    ],
)
def test_a_value_the_meter_cannot_show_is_refused(meter, value, message):
    form = form_for(meter, t1=value, t2="5080")

    assert not form.is_valid()
    assert message in form.errors["t1"][0]
    assert "t2" not in form.errors


def test_a_meter_without_decimals_asks_for_a_whole_number(make_meter):
    meter = make_meter(decimals=0, zones=1, last_value_t2=None)

    form = form_for(meter, t1="12150.5")

    assert not form.is_valid()
    assert "Введите целое число: до 6 цифр" in form.errors["t1"][0]


def test_a_value_below_the_previous_one_is_refused_and_points_to_a_replacement(meter):
    form = form_for(meter, t1="11999.9", t2="5080")

    assert not form.is_valid()
    message = form.errors["t1"][0]
    assert "Показание меньше предыдущего учтённого (12" in message and "от 20.11.2026" in message
    assert "Если счётчик заменили" in message


def test_a_counter_that_wrapped_at_its_capacity_is_a_rollover_not_an_error(make_meter):
    meter = make_meter(last_value_t1=Decimal("999950.0"), last_value_t2=Decimal("5000.0"))

    form = form_for(meter, t1="120.0", t2="5010")

    assert form.is_valid(), form.errors
    assert form.rollover
    assert form.lines[1].consumption == Decimal("170.0")  # 50 to the wrap, 120 after it


def test_a_lower_value_far_from_the_capacity_is_not_taken_for_a_rollover(make_meter):
    meter = make_meter(last_value_t1=Decimal("500000.0"))

    assert not form_for(meter, t1="120.0", t2="5010").is_valid()


def test_a_jump_above_the_usual_needs_an_explicit_confirmation(meter, settings):
    settings.METERS_JUMP_FACTOR = 3
    averages = {1: Decimal(200), 2: Decimal(100)}

    form = form_for(meter, averages, t1="12601", t2="5080")  # 601 kWh > 3 × 200

    assert not form.is_valid()
    assert form.asks_jump_confirmation
    assert "Расход 601 кВт·ч больше чем в 3 раза превышает средний" in form.errors["t1"][0]
    assert "t2" not in form.errors

    confirmed = form_for(meter, averages, t1="12601", t2="5080", confirm_jump="on")
    assert confirmed.is_valid(), confirmed.errors


def test_the_averages_come_from_the_billed_months_before_the_period(meter, usual_months):
    averages = services.monthly_averages(meter, before=datetime.date(2026, 12, 1))

    assert averages == {1: Decimal(200), 2: Decimal(100)}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"remote_read": True}, "снимаются автоматически (ИСУ)"),
        ({"status": Meter.Status.CLOSED}, "Счётчик снят"),
    ],
)
def test_remote_read_and_removed_meters_take_no_manual_reading(make_meter, change, message):
    meter = make_meter(**change)

    assert message in services.meter_refusal(meter, window=reading_window())


def test_a_closed_account_takes_no_reading(meter):
    PersonalAccount.objects.update(status=PersonalAccount.Status.CLOSED)
    meter.refresh_from_db()

    assert "Лицевой счёт закрыт" in services.meter_refusal(meter, window=reading_window())


def test_outside_the_window_the_operator_may_refuse(meter, settings):
    settings.METERS_OUTSIDE_WINDOW = "refuse"

    refusal = services.meter_refusal(meter, window=reading_window(moscow(2026, 12, 27, 9)))

    assert refusal == "Показания принимаются с 15 января по 25 января."


def test_only_the_current_holder_may_pass_a_reading(meter, holding, bob, clock):
    with pytest.raises(services.ReadingRefused, match="владелец лицевого счёта"):
        services.reading_submit(meter=meter, user=bob, values={1: Decimal(12100), 2: 5050})

    holding.unlinked_at = holding.linked_at
    holding.save()
    with pytest.raises(services.ReadingRefused):
        services.reading_submit(meter=meter, user=holding.user, values={1: Decimal(12100), 2: 5050})
    assert not Reading.objects.exists()


def test_the_service_refuses_a_remote_read_meter_even_if_the_form_is_bypassed(
    make_meter, holding, clock
):
    meter = make_meter(remote_read=True)

    with pytest.raises(services.ReadingRefused, match="ИСУ"):
        services.reading_submit(meter=meter, user=holding.user, values={1: Decimal(1), 2: 1})


@pytest.mark.parametrize(
    ("moment", "period"),
    [
        (moscow(2026, 12, 25, 23, 59, 59), datetime.date(2026, 12, 1)),
        (moscow(2026, 12, 26, 0, 0, 0), datetime.date(2027, 1, 1)),
    ],
)
def test_the_server_assigns_the_period_at_the_moment_of_submission(
    meter, holding, clock, moment, period, django_capture_on_commit_callbacks
):
    clock(moment)
    with django_capture_on_commit_callbacks(execute=True):
        reading = services.reading_submit(
            meter=meter, user=holding.user, values={1: Decimal(12100), 2: Decimal(5050)}
        )

    assert reading.period == period
    assert reading.submitted_at == moment


def test_a_meter_takes_a_limited_number_of_readings_a_day(meter, holding, clock, settings):
    settings.METERS_READINGS_PER_METER_PER_DAY = 2
    for value in (12100, 12101):
        services.reading_submit(meter=meter, user=holding.user, values={1: Decimal(value), 2: 1})

    with pytest.raises(services.ReadingRefused, match="уже передано 2 показания"):
        services.reading_submit(meter=meter, user=holding.user, values={1: Decimal(12102), 2: 1})
    assert Reading.objects.count() == 2
