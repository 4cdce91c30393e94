"""Fixtures for incident tests: consumers, incidents in the register, sign-ins on record."""

import datetime
import smtplib

import pytest
from axes.models import AccessLog
from django.core.mail.backends import locmem
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from incidents.models import DataCategory, Incident
from tests.conftest import PASSWORD

NOTICE = (
    "Посторонний получил доступ к адресам электронной почты. Доступ закрыт, пароли не затронуты."
)


@pytest.fixture
def make_consumer(django_user_model):
    def make(email: str, **fields):
        return django_user_model.objects.create_user(email, PASSWORD, **fields)

    return make


@pytest.fixture
def make_incident(admin_user):
    """An incident detected `hours_ago` hours ago, with a message ready for the people."""

    def make(*, hours_ago: float = 1, **fields) -> Incident:
        values = {
            "title": "Выгрузка адресов с тестового сервера",
            "kind": Incident.Kind.DISCLOSURE,
            "description": "Тестовый сервер с копией базы был доступен из интернета.",
            "detected_at": timezone.now() - datetime.timedelta(hours=hours_ago),
            "data_categories": [DataCategory.EMAIL, DataCategory.FULL_NAME],
            "notice_text": NOTICE,
            "created_by": admin_user,
        }
        return Incident.objects.create(**(values | fields))

    return make


@pytest.fixture
def signed_in_at():
    """A sign-in on record, as django-axes writes it when a login succeeds."""

    def record(user, moment: datetime.datetime) -> None:
        entry = AccessLog.objects.create(
            username=user.email, ip_address="203.0.113.7", user_agent="Firefox", path_info="/vhod/"
        )
        AccessLog.objects.filter(pk=entry.pk).update(attempt_time=moment)  # auto_now_add

    return record


class RefusingBobBackend(BaseEmailBackend):
    """A mail server that refuses Bob's address and delivers the rest to the test outbox."""

    def send_messages(self, messages) -> int:
        for message in messages:
            if "bob@example.ru" in message.to:
                raise smtplib.SMTPRecipientsRefused({"bob@example.ru": (550, b"No such user")})
        return locmem.EmailBackend().send_messages(messages)
