"""Fixtures for mailing tests: consumers in every consent state, mailings, their letters."""

import re

import pytest
from django.core import mail
from django.utils import timezone

from consents import services as consent_services
from consents.models import ConsentPurpose, ConsentRecord
from mailings import services
from mailings.models import Mailing
from pdrequests.models import SubjectRequest
from tests.conftest import BROWSER, PASSWORD


def _record(user, purpose_code: str, *, given: bool) -> ConsentRecord:
    action = consent_services.consent_give if given else consent_services.consent_withdraw
    return action(
        user=user,
        purpose_code=purpose_code,
        source=ConsentRecord.Source.PROFILE,
        ip_address="203.0.113.7",
        user_agent=BROWSER,
    )


@pytest.fixture
def consumer(django_user_model):
    """A consumer with an open account; `mailings` says whether they agreed to mailings."""

    def make(email: str, *, mailings: bool = True, **fields):
        user = django_user_model.objects.create_user(email, PASSWORD, **fields)
        _record(user, ConsentPurpose.ACCOUNT, given=True)
        if mailings:
            _record(user, ConsentPurpose.MAILINGS, given=True)
        return user

    return make


@pytest.fixture
def withdraw():
    def withdraw_mailings(user) -> ConsentRecord:
        return _record(user, ConsentPurpose.MAILINGS, given=False)

    return withdraw_mailings


@pytest.fixture
def give():
    def give_mailings(user) -> ConsentRecord:
        return _record(user, ConsentPurpose.MAILINGS, given=True)

    return give_mailings


@pytest.fixture
def block(admin_user):
    """Block the person's data, as a request for blocking does while staff check it."""

    def block_data(user, *, lifted: bool = False) -> SubjectRequest:
        now = timezone.now()
        return SubjectRequest.objects.create(
            number=f"ПДн-2026-{user.pk:06d}",
            kind=SubjectRequest.Kind.BLOCKING,
            reason=SubjectRequest.Reason.INACCURATE,
            subject=user,
            filed_by_user=user,
            due_on=timezone.localdate(),
            blocked_at=now,
            unblocked_at=now if lifted else None,
        )

    return block_data


@pytest.fixture
def mailing(admin_user):
    def make(**fields) -> Mailing:
        values = {
            "subject": "Новый тариф для жителей Ивантеевки",
            "body": "С 1 июля действует ночной тариф.\n\nПодробности в личном кабинете.",
            "created_by": admin_user,
        }
        return Mailing.objects.create(**(values | fields))

    return make


@pytest.fixture
def send(admin_user, django_capture_on_commit_callbacks):
    """Send as the admin action does, running the batch tasks at commit."""

    def run(mailing: Mailing) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return services.mailing_send(mailing=mailing, started_by=admin_user)

    return run


def recipients_of(outbox: list[mail.EmailMessage]) -> list[str]:
    return sorted(letter.to[0] for letter in outbox)


def unsubscribe_path(letter: mail.EmailMessage) -> str:
    """The unsubscribe link of a letter's List-Unsubscribe header, SITE_URL stripped."""
    [url] = re.findall(r"<([^>]+)>", letter.extra_headers["List-Unsubscribe"])
    return re.sub(r"^https?://[^/]+", "", url)
