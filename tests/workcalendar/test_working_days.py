"""Which days are working in Russia: the real `holidays` calendar, then staff overrides."""

from datetime import date

import pytest

from workcalendar.models import CalendarOverride
from workcalendar.terms import add_working_days, is_working_day, working_days_between

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2025, 12, 30), True),  # Tuesday before the New Year
        (date(2025, 12, 31), False),  # day off transferred from Sunday 05.01.2025
        (date(2026, 1, 8), False),  # New Year holidays
        (date(2026, 1, 9), False),  # day off transferred from Saturday 03.01.2026
        (date(2026, 1, 12), True),  # first working day of 2026
        (date(2025, 11, 1), True),  # Saturday worked in exchange for Monday 03.11.2025
        (date(2025, 11, 3), False),
        (date(2025, 11, 4), False),  # Unity Day
        (date(2027, 2, 20), True),  # Saturday worked in exchange for Monday 22.02.2027
        (date(2027, 2, 22), False),
        (date(2026, 3, 9), False),  # 8 March fell on a Sunday
        (date(2026, 5, 9), False),  # an ordinary Saturday (and Victory Day)
        (date(2026, 11, 24), True),  # an ordinary Tuesday
    ],
)
def test_working_days_follow_the_official_russian_calendar(day, working):
    assert is_working_day(day) is working


def test_staff_override_turns_a_day_off_into_a_working_day():
    CalendarOverride.objects.create(
        date=date(2026, 1, 9), is_working_day=True, reason="Постановление о переносе"
    )

    assert is_working_day(date(2026, 1, 9)) is True


def test_staff_override_turns_a_working_day_into_a_day_off():
    CalendarOverride.objects.create(
        date=date(2026, 11, 24), is_working_day=False, reason="Постановление о переносе"
    )

    assert is_working_day(date(2026, 11, 24)) is False


def test_staff_override_takes_precedence_over_a_working_saturday_the_package_knows():
    CalendarOverride.objects.create(
        date=date(2025, 11, 1), is_working_day=False, reason="Постановление о переносе"
    )

    assert is_working_day(date(2025, 11, 1)) is False


def test_an_override_of_another_day_changes_nothing_else():
    CalendarOverride.objects.create(
        date=date(2026, 11, 23), is_working_day=False, reason="Постановление о переносе"
    )

    assert is_working_day(date(2026, 11, 24)) is True


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2026, 11, 20), date(2026, 11, 20), 0),  # due today
        (date(2026, 11, 20), date(2026, 11, 23), 1),  # Friday to Monday
        (date(2025, 12, 29), date(2026, 1, 12), 2),  # 30.12 and 12.01 across the holidays
        (date(2026, 11, 25), date(2026, 11, 23), -2),  # overdue by Tuesday and Wednesday
        (date(2026, 1, 12), date(2025, 12, 29), -2),
    ],
)
def test_working_days_between_counts_after_start_up_to_end(start, end, expected):
    assert working_days_between(start=start, end=end) == expected


@pytest.mark.parametrize("days", range(1, 16))
def test_working_days_between_agrees_with_add_working_days(days):
    """The staff desk filters "due in ≤ n working days" by `add_working_days(today, n)`."""
    start = date(2026, 12, 28)

    assert working_days_between(start=start, end=add_working_days(start=start, days=days)) == days


def test_working_days_between_sees_staff_overrides():
    CalendarOverride.objects.create(
        date=date(2026, 11, 23), is_working_day=False, reason="Постановление о переносе"
    )

    assert working_days_between(start=date(2026, 11, 20), end=date(2026, 11, 24)) == 1


def test_a_year_long_count_costs_one_query(django_assert_num_queries):
    CalendarOverride.objects.create(
        date=date(2026, 6, 15), is_working_day=False, reason="Постановление о переносе"
    )

    with django_assert_num_queries(1):
        count = working_days_between(start=date(2025, 12, 31), end=date(2026, 12, 31))

    # 247 working days in the official 2026 calendar, less the overridden one.
    assert count == 246
