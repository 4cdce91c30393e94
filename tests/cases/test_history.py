"""The shared case mechanism: an append-only history the database protects, one workflow for
feedback messages and service requests, and the daily reminder of due and overdue cases."""

import datetime

import pytest
from django.core import mail
from django.db import ProgrammingError, connection, transaction

from cases.models import CaseAction, CaseEvent
from cases.services import due_cases_remind
from cases.workflow import CaseStepRefused, case_step
from feedback import services as feedback_services
from feedback.models import FeedbackMessage
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def specialist(django_user_model):
    return django_user_model.objects.create_user(
        "specialist@ivsbyt.ru", PASSWORD, last_name="Сергеева", first_name="Ольга", is_staff=True
    )


@pytest.fixture
def message(alice) -> FeedbackMessage:
    return feedback_services.feedback_message_create(
        kind=FeedbackMessage.Kind.QUESTION, subject="Счёт", text="Почему так много?", user=alice
    )


def test_a_history_row_cannot_be_changed_or_deleted_even_in_sql(message):
    event = message.history().get()

    with pytest.raises(ProgrammingError, match="Cannot update rows"), transaction.atomic():
        CaseEvent.objects.filter(pk=event.pk).update(comment="подделка")
    with (
        pytest.raises(ProgrammingError, match="Cannot delete rows"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM cases_caseevent WHERE id = %s", [event.pk])

    assert CaseEvent.objects.get(pk=event.pk).comment == ""


def test_every_step_of_a_feedback_message_is_recorded_with_who_and_when(alice, specialist, message):
    feedback_services.feedback_messages_assign(
        messages=FeedbackMessage.objects.filter(pk=message.pk), assignee=specialist
    )
    feedback_services.feedback_message_answer(message=message, answer_text="Тариф.", by=specialist)

    steps = [(e.action, e.actor, e.from_status, e.to_status) for e in message.history()]
    assert steps == [
        (CaseAction.FILED, alice, "", "new"),
        (CaseAction.TAKE, specialist, "new", "in_work"),
        (CaseAction.ANSWER, specialist, "in_work", "answered"),
    ]


def test_closing_many_messages_writes_one_row_each(alice, specialist):
    messages = [
        feedback_services.feedback_message_create(
            kind=FeedbackMessage.Kind.QUESTION, subject=f"Спам {n}", text="…", user=alice
        )
        for n in range(3)
    ]

    closed = feedback_services.feedback_messages_close(
        messages=FeedbackMessage.objects.all(), by=specialist
    )

    assert closed == 3
    assert CaseEvent.objects.filter(action=CaseAction.CLOSE, actor=specialist).count() == 3
    assert all(m.history().last().to_status == "closed" for m in messages)


def test_a_feedback_message_cannot_be_withdrawn_and_a_done_one_cannot_be_answered_again(
    alice, specialist, message
):
    with pytest.raises(CaseStepRefused, match="не предусмотрено"):
        case_step(case=message, action=CaseAction.WITHDRAW, by=alice)
    feedback_services.feedback_message_answer(message=message, answer_text="Да.", by=specialist)
    with pytest.raises(CaseStepRefused, match="Рассмотрение уже завершено"):
        case_step(case=message, action=CaseAction.ANSWER, by=specialist, answer_text="Ещё")


def test_the_author_cannot_take_staff_steps(alice, message):
    with pytest.raises(CaseStepRefused, match="только сотрудник"):
        case_step(case=message, action=CaseAction.ANSWER, by=alice, answer_text="Сам себе")


def test_the_consumer_sees_the_history_on_the_message_page(client, alice, specialist, message):
    feedback_services.feedback_message_answer(message=message, answer_text="Тариф.", by=specialist)
    client.force_login(alice)

    page = client.get(f"/kabinet/obratnaya-svyaz/{message.pk}/").content.decode()

    assert "Ход рассмотрения" in page
    assert "Специалист: дан ответ" in page


def test_reminders_reach_the_assignee_once_a_day_with_numbers_only(
    alice, specialist, message, django_capture_on_commit_callbacks
):
    feedback_services.feedback_messages_assign(
        messages=FeedbackMessage.objects.filter(pk=message.pk), assignee=specialist
    )
    FeedbackMessage.objects.filter(pk=message.pk).update(due_on=datetime.date(2026, 11, 2))
    today = datetime.date(2026, 11, 10)

    with django_capture_on_commit_callbacks(execute=True):
        first = due_cases_remind(today=today)
    with django_capture_on_commit_callbacks(execute=True):
        second = due_cases_remind(today=today)

    assert (first, second) == (1, 0)
    (letter,) = mail.outbox
    assert letter.to == ["specialist@ivsbyt.ru"]
    assert message.number in letter.body
    assert "ПРОСРОЧЕНО" in letter.body
    assert "Иванова" not in letter.body and "Почему так много" not in letter.body


def test_a_case_nobody_took_reminds_those_who_may_handle_it(
    alice, specialist, admin_user, message, django_capture_on_commit_callbacks
):
    FeedbackMessage.objects.filter(pk=message.pk).update(due_on=datetime.date(2026, 11, 11))

    with django_capture_on_commit_callbacks(execute=True):
        due_cases_remind(today=datetime.date(2026, 11, 10))

    assert [letter.to for letter in mail.outbox] == [["admin@ivsbyt.ru"]]


def test_messages_received_before_the_history_get_it_from_their_own_rows(alice, specialist):
    import importlib

    from django.apps import apps
    from django.utils import timezone

    backfill = importlib.import_module(
        "feedback.migrations.0004_history_of_earlier_messages"
    ).backfill
    now = timezone.now()
    earlier = FeedbackMessage.objects.create(
        number="ОС-2025-000001",
        kind=FeedbackMessage.Kind.QUESTION,
        user=alice,
        subject="Старое",
        text="…",
        received_at=now - datetime.timedelta(days=3),
        due_on=now.date(),
        status=FeedbackMessage.Status.ANSWERED,
        assignee=specialist,
        answer_text="Ответ.",
        answered_at=now,
    )

    backfill(apps, None)
    backfill(apps, None)  # safe to run again

    steps = [(e.action, e.actor) for e in earlier.history()]
    assert steps == [(CaseAction.FILED, alice), (CaseAction.ANSWER, specialist)]
