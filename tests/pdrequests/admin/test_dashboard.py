"""The staff dashboard: requests by status and open ones by deadline, in a fixed number of
queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from pdrequests.models import Action, SubjectRequest
from workcalendar.terms import add_working_days, moscow_date

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("admin:pdrequests_requestsdashboard_changelist")


def today() -> datetime.date:
    return moscow_date(timezone.now())


def set_due(request, due_on) -> None:
    SubjectRequest.objects.filter(pk=request.pk).update(due_on=due_on)


def test_counts_by_status_and_by_deadline(as_staff, pd_officer, alice, file_request, act):
    set_due(file_request(alice), today() - datetime.timedelta(days=1))
    set_due(file_request(alice), today())
    set_due(
        act(file_request(alice), Action.TAKE_INTO_WORK), add_working_days(start=today(), days=1)
    )
    set_due(file_request(alice), add_working_days(start=today(), days=5))
    act(file_request(alice), Action.REJECT, answer="Нет оснований.")

    response = as_staff(pd_officer).get(DASHBOARD)

    due = response.context["due"]
    assert (due.overdue, due.today, due.next_days, due.later, due.open, due.mine) == (
        1,
        1,
        1,
        1,
        4,
        1,
    )
    by_status = {row.status: row.count for row in response.context["by_status"]}
    assert by_status == {
        "received": 3,
        "in_work": 1,
        "awaiting_documents": 0,
        "completed": 0,
        "rejected": 1,
        "withdrawn": 0,
    }
    page = response.content.decode()
    assert "⚠ Просрочены" in page
    assert "?due=overdue" in page


def test_the_admin_index_links_to_it_for_whoever_views_requests(as_staff, auditor):
    assert DASHBOARD in as_staff(auditor).get(reverse("admin:index")).content.decode()
    assert as_staff(auditor).get(DASHBOARD).status_code == 200


def test_staff_who_may_not_view_requests_do_not_get_it(as_staff, django_user_model):
    outsider = django_user_model.objects.create_user("it@ivsbyt.ru", "x", is_staff=True)

    assert as_staff(outsider).get(DASHBOARD).status_code == 403


def test_its_query_count_does_not_grow_with_the_requests(
    as_staff, pd_officer, alice, file_request, django_assert_num_queries
):
    client = as_staff(pd_officer)
    file_request(alice)
    client.get(DASHBOARD)

    # The session (read; save: 4), the user and permissions (3), the second factor's device (1),
    # calendar (1), two aggregates.
    with django_assert_num_queries(11):
        client.get(DASHBOARD)
    for _ in range(20):
        file_request(alice)
    with django_assert_num_queries(11):
        response = client.get(DASHBOARD)
    assert response.context["due"].open == 21
