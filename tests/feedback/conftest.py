"""Fixtures for feedback tests: what people type into the form, staff, messages in each state."""

import datetime
import itertools

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from feedback import services
from feedback.models import FeedbackMessage
from pdrequests.models import SubjectRequest
from tests.conftest import BROWSER, PASSWORD

GUEST_EMAIL = "guest@example.ru"


@pytest.fixture
def guest_form():
    """What a guest types into the feedback form; override fields per test."""

    def data(**overrides) -> dict:
        return {
            "kind": "question",
            "subject": "Счёт за октябрь",
            "text": "Почему в счёте за октябрь начисление больше, чем обычно?",
            "guest_name": "Петров Пётр Петрович",
            "guest_email": GUEST_EMAIL,
            "guest_phone": "",
            "consent": "on",
            "website": "",
            **overrides,
        }

    return data


@pytest.fixture
def consumer_form():
    """What a signed-in consumer types: the form asks nothing about them."""

    def data(**overrides) -> dict:
        return {
            "kind": "question",
            "subject": "Показания счётчика",
            "text": "Как передать показания, если счётчик заменили?",
            "website": "",
            **overrides,
        }

    return data


@pytest.fixture
def specialist(django_user_model):
    """A member of staff who handles messages and PD requests."""
    user = django_user_model.objects.create_user(
        "specialist@ivsbyt.ru", PASSWORD, last_name="Сергеева", first_name="Ольга", is_staff=True
    )
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="feedback",
            codename__in=[
                "view_feedbackmessage",
                "change_feedbackmessage",
                "view_specialistrating",
                "view_specialist",
            ],
        )
    )
    # Answering means reading the author's words: staff see them only with the PD right.
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="staff", codename="view_personal_data")
    )
    return user


@pytest.fixture
def make_message():
    """A message registered the way the form does it: Alice's unless a guest is given. Each is
    a different message (the same one sent twice would be one, see test_limits)."""
    serial = itertools.count(1)

    def make(
        user=None,
        *,
        kind: str = FeedbackMessage.Kind.QUESTION,
        guest: services.Guest | None = None,
        subject: str = "Вопрос о начислениях",
    ) -> FeedbackMessage:
        return services.feedback_message_create(
            kind=kind,
            subject=subject,
            text=f"Прошу объяснить начисление за октябрь. Письмо {next(serial)}.",
            user=user,
            guest=guest,
        )

    return make


def a_guest(**overrides) -> services.Guest:
    return services.Guest(
        **{
            "name": "Петров Пётр Петрович",
            "email": GUEST_EMAIL,
            "phone": "",
            "ip_address": "198.51.100.20",
            "user_agent": BROWSER,
            **overrides,
        }
    )


@pytest.fixture
def answered(make_message, specialist):
    """Answer a message as `specialist` (the letter is not run)."""

    def answer(
        message: FeedbackMessage, text: str = "Начисление верное: тариф вырос."
    ) -> FeedbackMessage:
        services.feedback_message_answer(message=message, answer_text=text, by=specialist)
        message.refresh_from_db()
        return message

    return answer


@pytest.fixture
def make_subject_request(specialist):
    """A PD request of `subject`, handled by the specialist, in the status given."""
    serial = iter(range(1, 1000))

    def make(subject, *, status: str = SubjectRequest.Status.COMPLETED) -> SubjectRequest:
        now = timezone.now()
        return SubjectRequest.objects.create(
            number=f"ПДн-2026-{next(serial):06d}",
            kind=SubjectRequest.Kind.ACCESS,
            subject=subject,
            filed_by_user=subject,
            status=status,
            assignee=specialist,
            received_at=now - datetime.timedelta(days=5),
            due_on=(now + datetime.timedelta(days=5)).date(),
            completed_at=now if status == SubjectRequest.Status.COMPLETED else None,
        )

    return make
