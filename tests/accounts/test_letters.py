"""Letters go out after commit through django.tasks; a mail outage never costs a registration."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.models import User
from lkk.letters import RETRY_DELAYS
from tests.accounts.conftest import NEW_EMAIL, link_in


def run_worker() -> None:
    """What `manage.py db_worker` does in production, until nothing is left to run."""
    call_command(
        "db_worker", batch=True, startup_delay=False, interval=0, reload=False, verbosity=0
    )


@pytest.mark.django_db
def test_a_mail_outage_does_not_break_registration(
    client, registration_data, mail_server_down, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:register"), registration_data())

    assert response.status_code == 200
    assert "Проверьте почту" in response.content.decode()
    assert User.objects.filter(email=NEW_EMAIL, is_active=False).exists()
    assert mailoutbox == []


@pytest.mark.django_db(transaction=True)  # the worker commits each task as production does
def test_a_refused_letter_is_queued_again_and_delivered_once_the_server_is_back(
    client, registration_data, database_tasks, settings, mailoutbox
):
    working_mailers = settings.MAILERS
    settings.MAILERS = {"default": {"BACKEND": "tests.accounts.conftest.RefusingMailBackend"}}
    client.post(reverse("accounts:register"), registration_data())
    [queued] = DBTaskResult.objects.all()
    assert queued.task_path == "accounts.tasks.verification_letter_send"

    run_worker()

    queued.refresh_from_db()
    assert queued.status == "FAILED"
    retry = DBTaskResult.objects.exclude(pk=queued.pk).get()
    assert retry.status == "READY"
    assert retry.args_kwargs["kwargs"]["attempt"] == 2
    assert retry.run_after > timezone.now() + RETRY_DELAYS[0] - timedelta(seconds=30)

    settings.MAILERS = working_mailers
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())  # time passes
    run_worker()

    [letter] = mailoutbox
    assert letter.to == [NEW_EMAIL]
    assert link_in(letter).startswith("/podtverzhdenie-pochty/")


@pytest.mark.django_db
def test_a_letter_queued_for_an_account_confirmed_since_is_not_sent(
    client, registration_data, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(reverse("accounts:register"), registration_data())
    User.objects.filter(email=NEW_EMAIL).update(is_active=True, awaiting_email_confirmation=False)

    callbacks[0]()

    assert mailoutbox == []
