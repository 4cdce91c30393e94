"""Fixtures for account tests: a filled-in registration form, letters' links, refusing mailers."""

import re
import smtplib

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.tasks import task_backends
from django_tasks_db import DatabaseBackend

from tests.conftest import PASSWORD

NEW_EMAIL = "new.consumer@example.ru"


@pytest.fixture(autouse=True)
def _registration_open(request):
    """Registration needs a policy in force; `test_registration_closed.py` tests its absence."""
    uses_database = {"db", "transactional_db", "live_server"} & set(request.fixturenames)
    if request.node.get_closest_marker("no_policy") is None and (
        request.node.get_closest_marker("django_db") or uses_database
    ):
        request.getfixturevalue("policy_in_force")


@pytest.fixture
def registration_data():
    """What a consumer types into the registration form; override fields per test."""

    def data(**overrides) -> dict:
        return {
            "last_name": "Кузнецова",
            "first_name": "Мария",
            "patronymic": "Ивановна",
            "email": NEW_EMAIL,
            "phone": "8 916 555-44-33",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "consent_account": "on",
            "policy_acknowledged": "on",
            **overrides,
        }

    return data


def link_in(letter: mail.EmailMessage) -> str:
    """The path of the first portal link in a letter's plain-text body (SITE_URL stripped)."""
    links = re.findall(re.escape(settings.SITE_URL) + r"(/\S+)", letter.body)
    assert links, f"no link in letter: {letter.body}"
    return links[0]


class RefusingMailBackend(BaseEmailBackend):
    """A mail server that is down: every send fails like an SMTP outage does."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture
def mail_server_down(settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.accounts.conftest.RefusingMailBackend"}}


@pytest.fixture
def database_tasks():
    """Production's task backend: tasks are rows that `manage.py db_worker` runs.

    django.tasks does not reset its backends when settings change, so the backend is swapped in
    the handler itself.
    """
    previous = task_backends["default"]
    task_backends["default"] = DatabaseBackend(
        alias="default", params={"BACKEND": "django_tasks_db.DatabaseBackend"}
    )
    yield
    task_backends["default"] = previous
