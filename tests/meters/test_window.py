"""The server assigns the billing period from the moment of submission, in Moscow time."""

import datetime

import pytest

from meters.window import reading_window
from tests.meters.conftest import moscow

DEC, JAN = datetime.date(2026, 12, 1), datetime.date(2027, 1, 1)


@pytest.mark.parametrize(
    ("moment", "period", "is_open"),
    [
        (moscow(2026, 12, 14, 23, 59, 59), DEC, False),  # the day before it opens
        (moscow(2026, 12, 15, 0, 0, 0), DEC, True),  # the first second
        (moscow(2026, 12, 25, 23, 59, 59), DEC, True),  # the last second still counts
        (moscow(2026, 12, 26, 0, 0, 0), JAN, False),  # then the next period
        (moscow(2026, 12, 31, 23, 0, 0), JAN, False),
    ],
)
def test_the_period_and_window_follow_moscow_days(moment, period, is_open):
    window = reading_window(moment)

    assert (window.period, window.is_open) == (period, is_open)


def test_late_evening_in_utc_is_already_the_next_day_in_moscow():
    # 21:30 UTC on the 25th is 00:30 on the 26th in Moscow: the window has closed.
    moment = datetime.datetime(2026, 12, 25, 21, 30, tzinfo=datetime.UTC)

    window = reading_window(moment)

    assert window.period == JAN and not window.is_open


def test_outside_the_window_a_reading_moves_to_the_next_period_by_default():
    window = reading_window(moscow(2026, 12, 27, 10))

    assert window.moved_to_next_period and not window.refuses
    assert (window.opens, window.closes) == (datetime.date(2027, 1, 15), datetime.date(2027, 1, 25))


def test_the_operator_may_refuse_readings_outside_the_window(settings):
    settings.METERS_OUTSIDE_WINDOW = "refuse"

    assert reading_window(moscow(2026, 12, 27, 10)).refuses
    assert not reading_window(moscow(2026, 12, 20, 10)).refuses


def test_the_window_days_are_the_operators(settings):
    settings.METERS_WINDOW_FIRST_DAY, settings.METERS_WINDOW_LAST_DAY = 20, 26

    assert reading_window(moscow(2026, 12, 26, 23, 59, 59)).is_open
    assert not reading_window(moscow(2026, 12, 19, 23, 59, 59)).is_open
