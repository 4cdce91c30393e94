"""A batch of incident notices whose letters the mail server refused is retried like a single
letter: queued again with the first delay, and the retry sends only what is left."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from incidents import tasks
from incidents.models import Incident
from lkk.letters import RETRY_DELAYS
from tests.accounts.conftest import database_tasks  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db(transaction=True)  # the worker commits each task


def run_worker() -> None:
    call_command(
        "db_worker", batch=True, startup_delay=False, interval=0, reload=False, verbosity=0
    )


@pytest.mark.usefixtures("database_tasks")
def test_a_batch_with_refused_letters_is_queued_again_and_the_retry_sends_the_rest(
    make_incident, alice, bob, settings, mailoutbox
):
    incident = make_incident(subjects=Incident.Subjects.ALL)
    working = settings.MAILERS
    settings.MAILERS = {"default": {"BACKEND": "tests.incidents.conftest.RefusingBobBackend"}}
    tasks.incident_notices_send.enqueue(
        incident_id=incident.pk, first_user_id=alice.pk, last_user_id=bob.pk
    )

    run_worker()

    first = DBTaskResult.objects.get(args_kwargs__kwargs__attempt__isnull=True)
    assert first.status == "FAILED"
    retry = DBTaskResult.objects.exclude(pk=first.pk).get()
    assert retry.status == "READY"
    assert retry.args_kwargs["kwargs"]["attempt"] == 2
    assert retry.run_after > timezone.now() + RETRY_DELAYS[0] - timedelta(seconds=30)
    assert [letter.to for letter in mailoutbox] == [["alice@example.ru"]]

    settings.MAILERS = working
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())  # time passes
    run_worker()

    retry.refresh_from_db()
    assert retry.status == "SUCCESSFUL"
    assert sorted(letter.to[0] for letter in mailoutbox) == ["alice@example.ru", "bob@example.ru"]
