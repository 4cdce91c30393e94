"""Staff keep the production calendar up to date in the admin, without a release."""

from datetime import date

import pytest
from django.urls import reverse

from workcalendar.models import CalendarOverride
from workcalendar.terms import Term, due_date

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:workcalendar_calendaroverride_changelist")
ADD = reverse("admin:workcalendar_calendaroverride_add")
DECREE = "Постановление Правительства РФ о переносе выходных дней в 2027 году"


@pytest.fixture
def admin_session(client, admin_user):
    client.force_login(admin_user)
    return client


def _override(day: date, *, working: bool) -> CalendarOverride:
    return CalendarOverride.objects.create(date=day, is_working_day=working, reason=DECREE)


def test_staff_add_a_decree_day_off_and_terms_follow_at_once(admin_session, admin_user):
    response = admin_session.post(
        ADD, {"date": "11.01.2027", "is_working_day": "", "reason": DECREE}
    )

    assert response.status_code == 302
    override = CalendarOverride.objects.get()
    assert (override.date, override.is_working_day, override.reason) == (
        date(2027, 1, 11),
        False,
        DECREE,
    )
    assert override.created_by == admin_user
    assert due_date(Term.ANSWER, start=date(2026, 12, 29)) == date(2027, 1, 22)


def test_an_override_that_changes_nothing_is_refused_with_a_reason(admin_session):
    response = admin_session.post(
        ADD, {"date": "01.11.2025", "is_working_day": "on", "reason": DECREE}
    )

    assert response.status_code == 200
    assert "этот день и так рабочий" in response.content.decode()
    assert not CalendarOverride.objects.exists()


def test_an_override_needs_its_legal_basis(admin_session):
    response = admin_session.post(ADD, {"date": "11.01.2027", "is_working_day": "", "reason": ""})

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["reason"]
    assert not CalendarOverride.objects.exists()


def test_a_day_has_at_most_one_override(admin_session):
    _override(date(2027, 1, 11), working=False)

    response = admin_session.post(
        ADD, {"date": "11.01.2027", "is_working_day": "", "reason": DECREE}
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["date"]
    assert CalendarOverride.objects.count() == 1


def test_the_change_form_shows_what_the_official_calendar_says(admin_session):
    override = _override(date(2025, 11, 3), working=True)

    response = admin_session.get(
        reverse("admin:workcalendar_calendaroverride_change", args=[override.pk])
    )

    assert "нерабочий — Выходной (перенесено с 01.11.2025)" in response.content.decode()


def test_the_list_filters_by_year(admin_session):
    _override(date(2026, 11, 23), working=False)
    _override(date(2027, 1, 11), working=False)

    response = admin_session.get(CHANGELIST, {"year": "2027"})

    assert response.status_code == 200
    shown = list(response.context["cl"].result_list)
    assert [override.date for override in shown] == [date(2027, 1, 11)]
    page = response.content.decode()
    assert "?year=2026" in page
    assert "?year=2027" in page
    assert "11.01.2027, понедельник" in page


def test_a_malformed_year_in_the_address_shows_every_override(admin_session):
    _override(date(2027, 1, 11), working=False)

    response = admin_session.get(CHANGELIST, {"year": "20x7"})

    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 1


@pytest.mark.parametrize("overrides", [1, 12])
def test_the_list_costs_the_same_queries_whatever_its_length(
    admin_session, admin_user, overrides, django_assert_num_queries
):
    CalendarOverride.objects.bulk_create(
        CalendarOverride(
            date=date(2027, 3, 1 + offset),
            is_working_day=False,
            reason=DECREE,
            created_by=admin_user,
        )
        for offset in range(overrides)
    )

    # Session and user; the second factor's device; years for the filter; the count; the page
    # of rows with the staff member who added each one (the session, saved at the sign-in, is
    # not saved again).
    with django_assert_num_queries(6):
        response = admin_session.get(CHANGELIST)

    assert len(response.context["cl"].result_list) == overrides
