"""Staff in the admin: the list with due dates, assigning, answering (and the letter), closing."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from feedback import guest_consent
from feedback.models import FeedbackMessage
from tests.feedback.conftest import GUEST_EMAIL, a_guest

pytestmark = pytest.mark.django_db

LIST_URL = reverse("admin:feedback_feedbackmessage_changelist")


def change_url(message: FeedbackMessage) -> str:
    return reverse("admin:feedback_feedbackmessage_change", args=[message.pk])


def test_the_list_shows_number_kind_status_due_date_and_overdue(
    client, specialist, alice, make_message
):
    late = make_message(alice, kind=FeedbackMessage.Kind.CLAIM)
    FeedbackMessage.objects.filter(pk=late.pk).update(
        due_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    on_time = make_message(guest=a_guest())
    client.force_login(specialist)

    page = client.get(LIST_URL).content.decode()

    assert late.number in page
    assert on_time.number in page
    assert "письменная претензия" in page
    assert "вопрос, предложение или отзыв" in page
    assert "новое" in page
    assert page.count("⚠ просрочено") == 1


def test_the_overdue_filter_shows_only_late_open_messages(client, specialist, alice, make_message):
    late = make_message(alice)
    FeedbackMessage.objects.filter(pk=late.pk).update(
        due_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    on_time = make_message(alice)
    client.force_login(specialist)

    page = client.get(LIST_URL, {"due": "overdue"}).content.decode()

    assert late.number in page
    assert on_time.number not in page


def test_the_list_costs_the_same_queries_for_any_number_of_messages(
    client, specialist, alice, make_message
):
    make_message(alice)
    client.force_login(specialist)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST_URL)
    for index in range(15):
        message = make_message(alice if index % 2 else None, guest=None if index % 2 else a_guest())
        FeedbackMessage.objects.filter(pk=message.pk).update(assignee=specialist)

    with CaptureQueriesContext(connection) as many:
        client.get(LIST_URL)

    assert len(many) == len(few)


def test_search_finds_a_message_by_its_number_or_its_authors_address(
    client, specialist, alice, make_message
):
    alices = make_message(alice)
    guests = make_message(guest=a_guest())
    client.force_login(specialist)

    by_number = client.get(LIST_URL, {"q": alices.number.lower()}).content.decode()
    by_guest_email = client.get(LIST_URL, {"q": GUEST_EMAIL.upper()}).content.decode()

    assert alices.number in by_number
    in_latin_letters = alices.number.replace("О", "O").replace("С", "C")
    assert alices.number in client.get(LIST_URL, {"q": in_latin_letters}).content.decode()
    assert guests.number not in by_number
    assert guests.number in by_guest_email
    assert alices.number not in by_guest_email


def test_taking_messages_into_work_assigns_them(client, specialist, alice, make_message):
    message = make_message(alice)
    client.force_login(specialist)

    client.post(
        LIST_URL, {"action": "take_into_work", "_selected_action": [message.pk]}, follow=True
    )

    message.refresh_from_db()
    assert message.status == FeedbackMessage.Status.IN_WORK
    assert message.assignee == specialist


def test_closing_without_an_answer_makes_the_closer_the_specialist(
    client, specialist, alice, make_message, mailoutbox, django_capture_on_commit_callbacks
):
    message = make_message(alice)
    client.force_login(specialist)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(LIST_URL, {"action": "close_without_answer", "_selected_action": [message.pk]})

    message.refresh_from_db()
    assert message.status == FeedbackMessage.Status.CLOSED
    assert message.closed_at is not None
    assert message.assignee == specialist
    assert mailoutbox == []


def test_answering_emails_the_consumer_after_commit(
    client, specialist, alice, make_message, mailoutbox, django_capture_on_commit_callbacks
):
    message = make_message(alice)
    client.force_login(specialist)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            change_url(message), {"assignee": "", "answer_text": "Тариф изменился 1 июля."}
        )
        assert mailoutbox == []  # nothing is sent before the answer is committed

    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == FeedbackMessage.Status.ANSWERED
    assert message.answered_at is not None
    assert message.assignee == specialist
    for callback in callbacks:
        callback()
    [letter] = mailoutbox
    assert letter.to == ["alice@example.ru"]
    assert message.number in letter.subject
    assert "Тариф изменился 1 июля." in letter.body
    assert "Здравствуйте, Алиса Петровна!" in letter.body
    assert reverse("feedback:detail", args=[message.pk]) in letter.body


def test_a_guest_gets_the_answer_at_the_address_they_gave(
    client, specialist, make_message, mailoutbox, django_capture_on_commit_callbacks
):
    message = make_message(guest=a_guest())
    client.force_login(specialist)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(change_url(message), {"assignee": "", "answer_text": "Ответ гостю."})

    [letter] = mailoutbox
    assert letter.to == [GUEST_EMAIL]
    assert "Ответ гостю." in letter.body
    assert "/kabinet/" not in letter.body  # a guest has no page to go to


def test_a_guest_who_left_only_a_phone_gets_no_letter(
    client, specialist, make_message, mailoutbox, django_capture_on_commit_callbacks
):
    message = make_message(guest=a_guest(email="", phone="+79165554433"))
    client.force_login(specialist)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(change_url(message), {"assignee": "", "answer_text": "Позвонили."})

    message.refresh_from_db()
    assert message.status == FeedbackMessage.Status.ANSWERED
    assert mailoutbox == []


def test_assigning_on_the_page_puts_the_message_in_work(
    client, specialist, admin_user, alice, make_message
):
    message = make_message(alice)
    client.force_login(admin_user)

    client.post(change_url(message), {"assignee": specialist.pk, "answer_text": ""})

    message.refresh_from_db()
    assert message.assignee == specialist
    assert message.status == FeedbackMessage.Status.IN_WORK


def test_an_answered_message_cannot_be_answered_again(
    client, specialist, alice, make_message, answered
):
    message = answered(make_message(alice), "Первый ответ.")
    client.force_login(specialist)

    page = client.get(change_url(message)).content.decode()
    client.post(change_url(message), {"answer_text": "Второй ответ."})

    assert 'name="answer_text"' not in page
    message.refresh_from_db()
    assert message.answer_text == "Первый ответ."


def test_the_page_shows_a_guests_consent_evidence(client, specialist, make_message):
    message = make_message(guest=a_guest())
    client.force_login(specialist)

    page = client.get(change_url(message)).content.decode()

    assert "Петров Пётр Петрович (гость, без входа в кабинет)" in page
    assert "IP 198.51.100.20" in page
    assert f"Редакция № {guest_consent.VERSION}" in page


def test_staff_without_the_permission_see_no_messages(client, django_user_model):
    clerk = django_user_model.objects.create_user("clerk@ivsbyt.ru", "x", is_staff=True)
    client.force_login(clerk)

    assert client.get(LIST_URL).status_code == 403


def test_staff_cannot_add_or_delete_messages(client, admin_user, alice, make_message):
    message = make_message(alice)
    client.force_login(admin_user)

    assert client.get(reverse("admin:feedback_feedbackmessage_add")).status_code == 403
    assert (
        client.get(reverse("admin:feedback_feedbackmessage_delete", args=[message.pk])).status_code
        == 403
    )
