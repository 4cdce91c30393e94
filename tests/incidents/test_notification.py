"""Notifying the people an incident affects: exactly them, by letter and in the portal, once."""

import datetime
import threading

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from incidents import services, tasks
from incidents.models import Incident, IncidentNotification
from lkk import bulk_mail
from pdrequests.models import SubjectRequest
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def notify(admin_user, django_capture_on_commit_callbacks):
    """Start the notification as the admin action does, running its batch tasks at commit."""

    def run(incident: Incident) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return services.incident_notify(incident=incident, started_by=admin_user)

    return run


def notified(incident: Incident) -> set[str]:
    return set(incident.notifications.values_list("user__email", flat=True))


def test_all_consumers_are_notified_by_letter_and_in_the_portal(
    notify, make_incident, alice, bob, admin_user, mailoutbox
):
    incident = make_incident(subjects=Incident.Subjects.ALL)

    total = notify(incident)

    assert total == 2
    assert notified(incident) == {"alice@example.ru", "bob@example.ru"}  # staff are not consumers
    assert sorted(letter.to[0] for letter in mailoutbox) == ["alice@example.ru", "bob@example.ru"]
    letter = next(letter for letter in mailoutbox if letter.to == ["alice@example.ru"])
    assert letter.subject.startswith("Сообщение об инциденте с вашими персональными данными")
    assert "Посторонний получил доступ к адресам" in letter.body
    assert "адрес электронной почты, фамилия, имя, отчество" in letter.body
    notice = incident.notifications.get(user=alice)
    assert reverse("incidents:notice", args=[notice.pk]) in letter.body
    assert notice.emailed_at is not None and notice.read_at is None
    incident.refresh_from_db()
    assert incident.notification_total == 2
    assert incident.notification_started_by == admin_user


def test_a_pasted_list_reaches_exactly_the_people_listed(
    notify, make_incident, make_consumer, alice, bob, mailoutbox
):
    carol = make_consumer("carol@example.ru")
    make_consumer("dave@example.ru")
    incident = make_incident(
        subjects=Incident.Subjects.LIST, subject_list=f"ALICE@example.ru;\n{carol.pk}"
    )

    notify(incident)

    assert notified(incident) == {"alice@example.ru", "carol@example.ru"}
    assert sorted(letter.to[0] for letter in mailoutbox) == ["alice@example.ru", "carol@example.ru"]


def test_everyone_who_signed_in_within_the_period_is_notified_and_nobody_else(
    notify, make_incident, make_consumer, signed_in_at, alice, bob
):
    start = timezone.now() - datetime.timedelta(days=3)
    end = start + datetime.timedelta(hours=6)
    carol = make_consumer("carol@example.ru")
    signed_in_at(alice, start)  # the bounds belong to the period
    signed_in_at(carol, end)
    signed_in_at(bob, start - datetime.timedelta(seconds=1))
    signed_in_at(bob, end + datetime.timedelta(seconds=1))
    incident = make_incident(
        subjects=Incident.Subjects.LOGGED_IN, logged_in_from=start, logged_in_until=end
    )

    notify(incident)

    assert notified(incident) == {"alice@example.ru", "carol@example.ru"}


def test_a_real_sign_in_is_what_the_period_query_finds(client, notify, make_incident, alice, bob):
    """django-axes writes the access log on every successful login (AXES_DISABLE_ACCESS_LOG is
    off by default): the source the period query reads."""
    before = timezone.now()
    response = client.post(
        reverse("accounts:login"), {"username": "Alice@Example.ru", "password": PASSWORD}
    )
    assert response.status_code == 302
    incident = make_incident(
        subjects=Incident.Subjects.LOGGED_IN, logged_in_from=before, logged_in_until=timezone.now()
    )

    notify(incident)

    assert notified(incident) == {"alice@example.ru"}


def test_notifying_again_tells_nobody_twice(
    notify, make_incident, make_consumer, alice, bob, mailoutbox
):
    incident = make_incident(subjects=Incident.Subjects.ALL)
    notify(incident)
    first_notices = dict(incident.notifications.values_list("user_id", "created_at"))
    carol = make_consumer("carol@example.ru")  # e.g. the list was corrected after the first run

    total = notify(incident)

    assert total == 3
    assert sorted(letter.to[0] for letter in mailoutbox) == [
        "alice@example.ru",
        "bob@example.ru",
        "carol@example.ru",
    ]
    assert incident.notifications.count() == 3
    assert dict(
        incident.notifications.exclude(user=carol).values_list("user_id", "created_at")
    ) == (first_notices)


def test_every_batch_is_a_task_of_its_own(
    monkeypatch,
    admin_user,
    make_incident,
    make_consumer,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    monkeypatch.setattr(bulk_mail, "BATCH_SIZE", 2)
    for number in range(5):
        make_consumer(f"consumer{number}@example.ru")
    incident = make_incident(subjects=Incident.Subjects.ALL)

    with django_capture_on_commit_callbacks(execute=True) as queued:
        services.incident_notify(incident=incident, started_by=admin_user)

    assert len(queued) == 3
    assert incident.notifications.count() == len(mailoutbox) == 5


def test_an_address_never_confirmed_gets_the_portal_notice_but_no_letter(
    notify, make_incident, make_consumer, alice, mailoutbox
):
    make_consumer("typo@example.ru", is_active=False, awaiting_email_confirmation=True)
    incident = make_incident(subjects=Incident.Subjects.ALL)

    notify(incident)

    assert notified(incident) == {"alice@example.ru", "typo@example.ru"}
    assert [letter.to for letter in mailoutbox] == [["alice@example.ru"]]


def test_nobody_whose_data_was_destroyed_is_notified(notify, make_incident, alice, bob):
    SubjectRequest.objects.create(
        number="ПДн-2026-000001",
        kind=SubjectRequest.Kind.WITHDRAWAL,
        subject=bob,
        filed_by_user=bob,
        due_on=timezone.localdate(),
        destroyed_at=timezone.now(),
    )
    incident = make_incident(subjects=Incident.Subjects.ALL)

    notify(incident)

    assert notified(incident) == {"alice@example.ru"}


def test_a_refused_letter_goes_out_on_the_next_run_and_nobody_gets_two(
    notify, make_incident, alice, bob, settings, mailoutbox
):
    incident = make_incident(subjects=Incident.Subjects.ALL)
    working = settings.MAILERS
    settings.MAILERS = {"default": {"BACKEND": "tests.incidents.conftest.RefusingBobBackend"}}
    notify(incident)
    assert [letter.to for letter in mailoutbox] == [["alice@example.ru"]]
    assert incident.notifications.get(user=bob).emailed_at is None

    settings.MAILERS = working
    notify(incident)

    assert sorted(letter.to[0] for letter in mailoutbox) == ["alice@example.ru", "bob@example.ru"]
    assert incident.notifications.get(user=bob).emailed_at is not None


def test_without_a_message_for_the_people_nothing_is_sent(notify, make_incident, alice, mailoutbox):
    incident = make_incident(notice_text="  ")

    with pytest.raises(services.NoticeTextMissing):
        notify(incident)

    assert not incident.notifications.exists()
    assert mailoutbox == []


@pytest.mark.django_db(transaction=True)  # two connections, each committing as workers do
def test_the_same_batch_run_twice_at_once_sends_each_letter_once(
    make_incident, make_consumer, mailoutbox
):
    people = [make_consumer(f"consumer{number}@example.ru") for number in range(30)]
    incident = make_incident(subjects=Incident.Subjects.ALL)
    start = threading.Barrier(2)

    def run_batch() -> None:
        start.wait()
        try:
            tasks.incident_notices_send.call(
                incident_id=incident.pk, first_user_id=people[0].pk, last_user_id=people[-1].pk
            )
        finally:
            connection.close()

    workers = [threading.Thread(target=run_batch) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert sorted(letter.to[0] for letter in mailoutbox) == sorted(p.email for p in people)
    assert IncidentNotification.objects.filter(incident=incident).count() == 30
