"""The 24-hour and 72-hour deadlines for Roskomnadzor (152-FZ art. 21 part 3.1)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from incidents.models import Deadline, Incident

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
CHANGELIST = reverse("admin:incidents_incident_changelist")


def test_deadlines_count_24_and_72_hours_from_detection(make_incident):
    incident = make_incident()

    assert incident.authority_notice.due_at == incident.detected_at + 24 * HOUR
    assert incident.investigation_report.due_at == incident.detected_at + 72 * HOUR


def test_a_deadline_is_overdue_only_while_the_notice_is_not_sent():
    due = timezone.now()

    assert not Deadline(due, None).is_overdue(due)
    assert Deadline(due, None).is_overdue(due + datetime.timedelta(seconds=1))
    assert not Deadline(due, due + HOUR).is_overdue(due + 2 * HOUR)
    assert Deadline(due, due + HOUR).was_late
    assert not Deadline(due, due - HOUR).was_late


def test_overdue_incidents_are_found_by_either_deadline(make_incident):
    now = timezone.now()
    fresh = make_incident(hours_ago=2)
    authority_late = make_incident(hours_ago=25)
    make_incident(hours_ago=25, authority_notified_at=now - 5 * HOUR)
    report_late = make_incident(hours_ago=73, authority_notified_at=now - 72 * HOUR)
    make_incident(
        hours_ago=80,
        authority_notified_at=now - 79 * HOUR,
        investigation_reported_at=now - 10 * HOUR,
    )

    overdue = set(Incident.objects.overdue(now))

    assert overdue == {authority_late, report_late}
    assert fresh not in overdue


def test_the_register_marks_an_overdue_notice_in_words_not_colour_alone(
    client, admin_user, make_incident
):
    make_incident(title="Просроченный", hours_ago=30)
    client.force_login(admin_user)

    page = client.get(CHANGELIST).content.decode()

    assert "⚠ ПРОСРОЧЕНО" in page
    assert "срок истёк" in page


def test_the_overdue_filter_lists_only_incidents_past_a_deadline(client, admin_user, make_incident):
    make_incident(title="Свежий инцидент", hours_ago=2)
    make_incident(title="Забытый инцидент", hours_ago=30)
    client.force_login(admin_user)

    page = client.get(CHANGELIST, {"deadline": "overdue"}).content.decode()

    assert "Забытый инцидент" in page
    assert "Свежий инцидент" not in page


def test_the_register_costs_the_same_queries_however_many_incidents(
    client, admin_user, make_incident, django_assert_num_queries
):
    client.force_login(admin_user)
    make_incident()
    client.get(CHANGELIST)  # warm caches (content types, permissions)
    with CaptureQueriesContext(connection) as one:
        client.get(CHANGELIST)
    for _ in range(5):
        make_incident()

    with django_assert_num_queries(len(one.captured_queries)):
        client.get(CHANGELIST)


def test_the_register_shows_a_notice_sent_in_time_and_one_sent_late(
    client, admin_user, make_incident
):
    now = timezone.now()
    make_incident(hours_ago=30, authority_notified_at=now - 29 * HOUR)
    make_incident(hours_ago=30, authority_notified_at=now - 2 * HOUR)
    client.force_login(admin_user)

    page = client.get(CHANGELIST).content.decode()

    assert "✓ направлено" in page
    assert "⚠ направлено с опозданием" in page
    assert "ПРОСРОЧЕНО" not in page  # the 72-hour reports are due in 42 hours
    assert "срок до" in page
