"""Markup in a person's data shows as text: on every page of the site they open and in every
letter they get. (The admin's pages are opened the same way in tests/staff/test_admin_grid.py.)

The names are stored as they are typed by older versions of the forms, or by the billing
system: whatever the forms accept now, the pages must not trust what is stored.
"""

import pytest
from django.core import mail
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from feedback import services as feedback_services
from feedback.models import FeedbackMessage
from pdrequests.models import SubjectRequest

pytestmark = pytest.mark.django_db

MARKUP = "<i>z</i>"


@pytest.fixture
def marked(django_user_model):
    """A consumer whose every name holds markup."""
    return django_user_model.objects.create_user(
        "marked@example.ru",
        "Пароль-с-разметкой-2026",
        last_name=f"Иванова{MARKUP}",
        first_name=f"Алиса{MARKUP}",
        patronymic=f"Петровна{MARKUP}",
        phone="+79161112233",
    )


def _site_pages(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    """Every page of the site (not the admin's) whose address needs no argument."""
    resolver = resolver or get_resolver()
    names = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if getattr(pattern, "app_name", None) == "admin":
                continue
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            names += _site_pages(pattern, namespace)
        elif isinstance(pattern, URLPattern) and pattern.name and not pattern.pattern.converters:
            names.append(f"{prefix}{pattern.name}")
    return names


@pytest.mark.parametrize("name", _site_pages())
def test_markup_in_names_shows_as_text_on_every_page(client, marked, name):
    client.force_login(marked)

    response = client.get(reverse(name))

    assert response.status_code < 500
    if response.get("Content-Type", "").startswith("text/html"):  # not the JSON export
        assert MARKUP not in response.content.decode(errors="replace")


def test_the_correction_form_shows_the_current_name_as_text(client, marked):
    """The «Сейчас: …» help text under each field of a correction request."""
    client.force_login(marked)

    page = client.get(reverse("pdrequests:request_new"), {"kind": "correction"}).content.decode()

    assert "Сейчас: Иванова&lt;i&gt;z&lt;/i&gt;." in page
    assert MARKUP not in page


def test_the_staff_correction_form_shows_the_current_name_as_text(
    client, marked, admin_user, file_request
):
    from pdrequests.models import Action
    from pdrequests.workflow import subject_request_transition

    request = file_request(
        marked, SubjectRequest.Kind.CORRECTION, corrections={"last_name": "Иванова"}
    )
    subject_request_transition(
        request=request, action=Action.TAKE_INTO_WORK, actor=admin_user, comment="Взято."
    )
    client.force_login(admin_user)

    url = reverse(
        "admin:pdrequests_subjectrequest_transition",
        args=[request.pk, Action.APPLY_CORRECTION.value],
    )
    page = client.get(url).content.decode()

    assert "Иванова&lt;i&gt;z&lt;/i&gt;" in page
    assert MARKUP not in page


def test_markup_in_names_shows_as_text_in_every_letter(
    marked, admin_user, file_request, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        file_request(marked, SubjectRequest.Kind.ACCESS)
        message = feedback_services.feedback_message_create(
            kind=FeedbackMessage.Kind.QUESTION, subject="Вопрос", text="Текст.", user=marked
        )
        feedback_services.feedback_messages_assign(
            messages=FeedbackMessage.objects.filter(pk=message.pk), assignee=admin_user
        )
        feedback_services.feedback_message_answer(
            message=FeedbackMessage.objects.get(pk=message.pk), answer_text="Ответ.", by=admin_user
        )
        client.post(reverse("accounts:password_reset"), {"email": marked.email})

    assert len(mail.outbox) >= 3
    for letter in mail.outbox:
        for html, _mimetype in letter.alternatives:
            assert MARKUP not in html, letter.subject
