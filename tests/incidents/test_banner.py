"""The incident notice in the portal: a banner on every page until the person dismisses it."""

import copy

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from incidents.context_processors import incident_notices
from incidents.models import IncidentNotification

pytestmark = pytest.mark.django_db

PAGE = reverse("consents:mine")
BANNER = "Важное сообщение о ваших персональных данных"


@pytest.fixture
def notice_for(make_incident):
    def make(user, **incident_fields) -> IncidentNotification:
        return IncidentNotification.objects.create(
            incident=make_incident(**incident_fields), user=user
        )

    return make


def dismiss(client, notice: IncidentNotification, next_url: str = PAGE):
    return client.post(reverse("incidents:notice_dismiss", args=[notice.pk]), {"next": next_url})


def test_the_banner_shows_on_every_page_until_dismissed(client, alice, notice_for):
    notice = notice_for(alice)
    client.force_login(alice)
    assert BANNER in client.get(PAGE).content.decode()
    assert BANNER in client.get(reverse("accounts:profile")).content.decode()

    response = dismiss(client, notice)

    assert response.status_code == 302
    assert response.url == PAGE
    assert BANNER not in client.get(PAGE).content.decode()
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_a_notice_sent_after_a_page_was_shown_appears_at_the_next_page(
    client, alice, make_incident
):
    from incidents import tasks
    from incidents.models import Incident

    client.force_login(alice)
    assert BANNER not in client.get(PAGE).content.decode()
    incident = make_incident(subjects=Incident.Subjects.ALL)

    tasks.incident_notices_send.call(
        incident_id=incident.pk, first_user_id=alice.pk, last_user_id=alice.pk
    )

    assert BANNER in client.get(PAGE).content.decode()


def test_a_second_dismissal_keeps_the_first_reading(client, alice, notice_for):
    notice = notice_for(alice)
    client.force_login(alice)
    dismiss(client, notice)
    notice.refresh_from_db()
    first_reading = notice.read_at

    dismiss(client, notice)

    notice.refresh_from_db()
    assert notice.read_at == first_reading


def test_each_unread_notice_has_its_own_banner(client, alice, notice_for):
    notice_for(alice, title="Первый")
    notice_for(alice, title="Второй")
    client.force_login(alice)

    assert client.get(PAGE).content.decode().count(BANNER) == 2


def test_only_the_person_notified_sees_the_banner(client, alice, bob, notice_for):
    notice_for(alice)
    client.force_login(bob)

    assert BANNER not in client.get(PAGE).content.decode()


def test_another_consumers_notice_cannot_be_dismissed(client, alice, bob, notice_for):
    notice = notice_for(alice)
    client.force_login(bob)

    response = dismiss(client, notice)

    assert response.status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_another_consumers_notice_cannot_be_read(client, alice, bob, notice_for):
    notice = notice_for(alice)
    client.force_login(bob)

    assert client.get(reverse("incidents:notice", args=[notice.pk])).status_code == 404


def test_the_notice_page_gives_the_whole_message(client, alice, notice_for):
    notice = notice_for(alice)
    client.force_login(alice)

    page = client.get(reverse("incidents:notice", args=[notice.pk])).content.decode()

    assert "Посторонний получил доступ к адресам электронной почты" in page
    assert "<li>адрес электронной почты</li>" in page


def test_dismissing_is_a_post(client, alice, notice_for):
    notice = notice_for(alice)
    client.force_login(alice)

    response = client.get(reverse("incidents:notice_dismiss", args=[notice.pk]))

    assert response.status_code == 405


def test_dismissing_never_leads_to_another_site(client, alice, notice_for):
    notice = notice_for(alice)
    client.force_login(alice)

    response = dismiss(client, notice, next_url="https://evil.example/")

    assert response.url == reverse("home")


def test_a_visitor_costs_no_query(rf: RequestFactory, django_assert_num_queries):
    request = rf.get(PAGE)
    request.user = AnonymousUser()

    with django_assert_num_queries(0):
        assert list(incident_notices(request)["incident_notices"]) == []


@pytest.mark.parametrize("unread", [0, 3])
def test_a_signed_in_consumer_costs_one_query_however_many_notices(
    rf: RequestFactory, alice, notice_for, django_assert_num_queries, unread
):
    for _ in range(unread):
        notice_for(alice)
    request = rf.get(PAGE)
    request.user = alice

    with django_assert_num_queries(1):
        notices = incident_notices(request)["incident_notices"]
        assert len(notices) == unread
        assert all(notice.incident.title for notice in notices)


def test_the_banner_adds_one_query_to_the_first_page_and_none_after(
    client, alice, notice_for, settings
):
    for _ in range(3):
        notice_for(alice)
    client.force_login(alice)
    with CaptureQueriesContext(connection) as first_with_banner:
        client.get(PAGE)
    with CaptureQueriesContext(connection) as next_with_banner:
        client.get(PAGE)
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["OPTIONS"]["context_processors"].remove(
        "incidents.context_processors.incident_notices"
    )
    settings.TEMPLATES = templates
    cache.clear()

    with CaptureQueriesContext(connection) as first_without_banner:
        client.get(PAGE)
    with CaptureQueriesContext(connection) as next_without_banner:
        client.get(PAGE)

    assert len(first_with_banner) == len(first_without_banner) + 1
    assert len(next_with_banner) == len(next_without_banner)
