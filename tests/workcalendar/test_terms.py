"""The 152-FZ terms counted on the real Russian production calendar (no mocked holidays)."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from workcalendar.models import CalendarOverride
from workcalendar.terms import (
    Term,
    add_calendar_days,
    add_working_days,
    due_date,
    extended_due_date,
    moscow_date,
    working_days_between,
)

pytestmark = pytest.mark.django_db

MOSCOW = ZoneInfo("Europe/Moscow")


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        (Term.ANSWER, date(2025, 9, 15)),  # 10 working days
        (Term.ANSWER_EXTENSION, date(2025, 9, 8)),  # 5 working days
        (Term.CORRECTION, date(2025, 9, 10)),  # 7 working days
        (Term.STOP_UNLAWFUL, date(2025, 9, 4)),  # 3 working days
        (Term.DESTROY, date(2025, 9, 15)),  # 10 working days
        (Term.DESTROY_AFTER_WITHDRAWAL, date(2025, 10, 1)),  # 30 calendar days
    ],
)
def test_each_term_has_its_legal_length_in_a_month_without_holidays(term, expected):
    """September 2025 has no holidays: the lengths themselves, counted from Tuesday 2 September."""
    assert due_date(term, start=date(2025, 9, 1)) == expected


def test_answer_to_a_request_received_before_new_year_2027_skips_the_holidays():
    # 30.12 is day 1; 31.12.2026 and 01–10.01.2027 are off; 11.01 is day 2.
    assert due_date(Term.ANSWER, start=date(2026, 12, 29)) == date(2027, 1, 21)


def test_answer_to_a_request_received_before_new_year_2026_skips_the_transferred_days_off():
    # 31.12.2025 (from 05.01.2025) and 09.01.2026 (from 03.01.2026) are transferred days off.
    assert due_date(Term.ANSWER, start=date(2025, 12, 30)) == date(2026, 1, 23)


def test_a_transferred_working_saturday_counts_as_a_working_day():
    # 31.10 is day 1, Saturday 01.11.2025 is day 2, 03.11 (transferred) and 04.11 are off.
    assert due_date(Term.STOP_UNLAWFUL, start=date(2025, 10, 30)) == date(2025, 11, 5)


def test_the_2027_working_saturday_counts_as_a_working_day():
    # 19.02 is day 1, Saturday 20.02.2027 is day 2, 22.02 (transferred) and 23.02 are off.
    assert due_date(Term.STOP_UNLAWFUL, start=date(2027, 2, 18)) == date(2027, 2, 24)


def test_correction_skips_both_may_holidays():
    # 01–04.05.2025 and 08–11.05.2025 are off: 5, 6, 7, 12, 13, 14, 15 May.
    assert due_date(Term.CORRECTION, start=date(2025, 4, 30)) == date(2025, 5, 15)


def test_destruction_after_withdrawal_ending_on_a_sunday_ends_on_that_sunday():
    """152-FZ art. 21 p. 5: «в срок, не превышающий тридцати дней» — not a day more."""
    assert date(2025, 6, 22).isoweekday() == 7

    assert due_date(Term.DESTROY_AFTER_WITHDRAWAL, start=date(2025, 5, 23)) == date(2025, 6, 22)


def test_destruction_after_withdrawal_ending_on_a_working_day_stays():
    assert due_date(Term.DESTROY_AFTER_WITHDRAWAL, start=date(2025, 5, 26)) == date(2025, 6, 25)


def test_destruction_after_withdrawal_ending_on_russia_day_ends_on_russia_day():
    assert due_date(Term.DESTROY_AFTER_WITHDRAWAL, start=date(2026, 5, 13)) == date(2026, 6, 12)


def test_destruction_after_withdrawal_ending_in_the_new_year_holidays_does_not_wait_for_them():
    # 30 days after 02.12.2025 is 01.01.2026: the work must be done before the holidays.
    assert due_date(Term.DESTROY_AFTER_WITHDRAWAL, start=date(2025, 12, 2)) == date(2026, 1, 1)


def test_on_the_last_working_day_before_a_term_ending_on_a_day_off_the_term_is_due():
    due_on = due_date(Term.DESTROY_AFTER_WITHDRAWAL, start=date(2025, 5, 23))  # Sunday 22.06

    assert working_days_between(start=date(2025, 6, 20), end=due_on) == 0  # Friday: due today


def test_extension_adds_five_working_days_to_the_due_date_not_to_the_receipt():
    due_on = due_date(Term.ANSWER, start=date(2025, 12, 12))
    assert due_on == date(2025, 12, 26)

    # 29.12 and 30.12 are days 1 and 2; 31.12.2025–11.01.2026 are off.
    assert extended_due_date(due_on=due_on) == date(2026, 1, 14)


def test_staff_override_making_a_day_off_working_shortens_the_term():
    CalendarOverride.objects.create(
        date=date(2026, 1, 9), is_working_day=True, reason="Постановление о переносе"
    )

    assert due_date(Term.ANSWER, start=date(2025, 12, 30)) == date(2026, 1, 22)


def test_staff_override_adding_a_day_off_lengthens_the_term():
    CalendarOverride.objects.create(
        date=date(2027, 1, 11), is_working_day=False, reason="Постановление о переносе"
    )

    assert due_date(Term.ANSWER, start=date(2026, 12, 29)) == date(2027, 1, 22)


def test_staff_override_cancelling_a_working_saturday_lengthens_the_term():
    CalendarOverride.objects.create(
        date=date(2025, 11, 1), is_working_day=False, reason="Постановление о переносе"
    )

    assert due_date(Term.STOP_UNLAWFUL, start=date(2025, 10, 30)) == date(2025, 11, 6)


def test_a_new_day_off_does_not_lengthen_the_term_after_withdrawal():
    CalendarOverride.objects.create(
        date=date(2025, 6, 25), is_working_day=False, reason="Постановление о переносе"
    )

    assert due_date(Term.DESTROY_AFTER_WITHDRAWAL, start=date(2025, 5, 26)) == date(2025, 6, 25)


def test_the_feedback_term_of_59_fz_still_moves_off_a_day_off():
    assert add_calendar_days(start=date(2025, 5, 23), days=30) == date(2025, 6, 23)


def test_more_days_off_than_one_fetch_covers_still_give_the_right_date():
    """Staff declaring a long run of days off costs more queries, never a wrong date."""
    CalendarOverride.objects.bulk_create(
        CalendarOverride(
            date=date(2026, 9, 1) + timedelta(days=offset),
            is_working_day=False,
            reason="Постановление о переносе",
        )
        for offset in range(60)
    )

    # 01.09–30.10 are off; 2, 3, 5 and 6 November 2026 are working (04.11 is Unity Day).
    assert add_working_days(start=date(2026, 8, 31), days=4) == date(2026, 11, 6)


@pytest.mark.parametrize(
    ("received_at", "moscow_day"),
    [
        (datetime(2025, 11, 13, 23, 30, tzinfo=MOSCOW), date(2025, 11, 13)),
        (datetime(2025, 11, 13, 20, 30, tzinfo=UTC), date(2025, 11, 13)),  # 23:30 in Moscow
        (datetime(2025, 11, 13, 21, 30, tzinfo=UTC), date(2025, 11, 14)),  # 00:30 in Moscow
        (date(2025, 11, 13), date(2025, 11, 13)),
    ],
)
def test_a_moment_is_taken_as_its_moscow_date(received_at, moscow_day):
    assert moscow_date(received_at) == moscow_day


def test_moscow_date_ignores_the_time_zone_activated_for_a_request():
    with timezone.override(ZoneInfo("Asia/Vladivostok")):
        assert moscow_date(datetime(2025, 11, 13, 20, 30, tzinfo=UTC)) == date(2025, 11, 13)


def test_a_request_received_at_2330_on_thursday_counts_from_friday():
    received_at = datetime(2025, 11, 13, 23, 30, tzinfo=MOSCOW)

    # 14 (Friday), 17 and 18 November.
    assert due_date(Term.STOP_UNLAWFUL, start=received_at) == date(2025, 11, 18)


def test_a_request_received_at_0030_on_friday_counts_from_saturday():
    received_at = datetime(2025, 11, 13, 21, 30, tzinfo=UTC)  # still Thursday in UTC

    # 17, 18 and 19 November.
    assert due_date(Term.STOP_UNLAWFUL, start=received_at) == date(2025, 11, 19)


def test_a_withdrawal_received_after_midnight_in_moscow_counts_from_the_moscow_date():
    received_at = datetime(2025, 5, 26, 21, 30, tzinfo=UTC)  # 00:30 on Tuesday 27 May in Moscow

    assert due_date(Term.DESTROY_AFTER_WITHDRAWAL, start=received_at) == date(2025, 6, 26)  # Thu


@pytest.mark.parametrize(
    ("term", "start"),
    [
        (Term.ANSWER, date(2026, 12, 29)),
        (Term.STOP_UNLAWFUL, date(2025, 10, 30)),
    ],
)
def test_a_due_date_costs_one_query_for_the_overrides(term, start, django_assert_num_queries):
    CalendarOverride.objects.create(
        date=start + timedelta(days=3), is_working_day=False, reason="Постановление о переносе"
    )

    with django_assert_num_queries(1):
        due_date(term, start=start)


def test_a_long_term_still_costs_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        assert add_working_days(start=date(2025, 12, 31), days=247) == date(2026, 12, 30)


@pytest.mark.parametrize("days", [0, -1])
def test_a_term_of_no_days_is_refused(days):
    with pytest.raises(ValueError, match="at least one day"):
        add_working_days(start=date(2026, 1, 1), days=days)
    with pytest.raises(ValueError, match="at least one day"):
        add_calendar_days(start=date(2026, 1, 1), days=days)
