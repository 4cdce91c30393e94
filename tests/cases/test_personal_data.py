"""A case's history and a person's data: their steps are exported to them, and a destruction
leaves no trace of them in any case's history while the history itself stays."""

import pytest

from cases.models import CaseAction, CaseEvent
from feedback import services as feedback_services
from feedback.models import FeedbackMessage
from lkk import personal_data
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _history() -> personal_data.Category:
    [category] = [c for c in personal_data.categories() if c.key == "cases.history"]
    return category


@pytest.fixture
def specialist(django_user_model):
    return django_user_model.objects.create_user(
        "specialist@ivsbyt.ru", PASSWORD, last_name="Сергеева", first_name="Ольга", is_staff=True
    )


@pytest.fixture
def answered(alice, bob, specialist):
    """Alice's question answered by name, and Bob's message whose answer mentions her."""
    mine = feedback_services.feedback_message_create(
        kind=FeedbackMessage.Kind.QUESTION, subject="Счёт", text="Почему так много?", user=alice
    )
    feedback_services.feedback_message_answer(
        message=mine, answer_text="Алиса Петровна, начисление верное.", by=specialist
    )
    bobs = feedback_services.feedback_message_create(
        kind=FeedbackMessage.Kind.CLAIM, subject="Сосед", text="Про соседку", user=bob
    )
    feedback_services.feedback_message_answer(
        message=bobs, answer_text="Иванова Алиса Петровна оплачивает свой счёт сама.", by=specialist
    )
    return mine, bobs


def test_the_person_gets_their_own_steps_in_words(alice, answered):
    [filed] = _history().export(alice)

    assert filed["Действие"] == "подано"
    assert filed["Обращение или заявка"].endswith(answered[0].number)


def test_erase_destroys_her_cases_comments_and_her_name_in_others(alice, bob, answered):
    mine, bobs = answered
    events = CaseEvent.objects.count()
    erasure = personal_data.Erasure(
        user=alice,
        actor=None,
        reference=f"субъект-{alice.pk}",
        identifiers=personal_data.subject_identifiers(alice),
    )

    _history().erase(erasure)

    assert CaseEvent.objects.count() == events  # the history stays, as a history
    answer = mine.history().get(action=CaseAction.ANSWER)
    assert answer.comment == personal_data.REDACTED
    about_her = bobs.history().get(action=CaseAction.ANSWER)
    assert about_her.comment == f"субъект-{alice.pk} оплачивает свой счёт сама."
    assert not CaseEvent.objects.filter(comment__icontains="Алиса").exists()
