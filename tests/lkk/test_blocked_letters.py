"""Blocking covers letters (152-FZ art. 3 p. 6): while a person's data is blocked, the one letter
pipeline sends them only the letters the law requires; the others wait for the blocking to end
or are not sent at all, as each letter task declares."""

import pytest

from lkk.letters import WhenBlocked, letter_send, letter_task
from lkk.models import HeldLetter
from pdrequests.models import Action, SubjectRequest

pytestmark = pytest.mark.django_db


@letter_task(when_blocked=WhenBlocked.HOLD)
def owed_letter_send(*, user_id: int) -> None:
    """A letter the person is owed (an answer to their message): it waits for the unblocking."""
    from accounts.models import User

    letter_send(to=User.objects.get(pk=user_id), subject="Ответ", template="emails/test/plain")


@letter_task(when_blocked=WhenBlocked.DROP)
def timely_letter_send(*, user_id: int) -> None:
    """A letter useful only now (a reminder): not sent to a blocked person, not later either."""
    from accounts.models import User

    letter_send(
        to=User.objects.get(pk=user_id), subject="Напоминание", template="emails/test/plain"
    )


@pytest.fixture(autouse=True)
def plain_template(settings, tmp_path):
    (tmp_path / "emails" / "test").mkdir(parents=True)
    (tmp_path / "emails" / "test" / "plain.txt").write_text("Текст письма.")
    (tmp_path / "emails" / "test" / "plain.html").write_text("<p>Текст письма.</p>")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]


@pytest.fixture
def act(admin_user):
    """Take an action on a PD request as a member of staff."""
    from pdrequests.workflow import subject_request_transition

    def take(request, action, *, comment: str = "Проверено.", **data):
        return subject_request_transition(
            request=request, action=action, actor=admin_user, comment=comment, **data
        )

    return take


@pytest.fixture
def blocking(alice, file_request, mailoutbox) -> SubjectRequest:
    request = file_request(alice, SubjectRequest.Kind.BLOCKING)
    mailoutbox.clear()  # the receipt of the request itself
    return request


def test_a_held_letter_is_not_sent_while_the_data_is_blocked(alice, blocking, mailoutbox):
    owed_letter_send.enqueue(user_id=alice.pk)

    assert mailoutbox == []
    held = HeldLetter.objects.get()
    assert held.recipient == alice
    assert held.arguments == {"user_id": alice.pk}


def test_a_held_letter_goes_once_the_blocking_ends(
    alice, blocking, act, mailoutbox, django_capture_on_commit_callbacks
):
    owed_letter_send.enqueue(user_id=alice.pk)

    with django_capture_on_commit_callbacks(execute=True):
        act(blocking, Action.TAKE_INTO_WORK)
        act(blocking, Action.UNBLOCK, comment="Данные проверены.")

    assert [letter.subject.split(" — ")[0] for letter in mailoutbox if letter.to == [alice.email]][
        -1
    ] == "Ответ"
    assert not HeldLetter.objects.exists()


def test_a_held_letter_waits_while_another_request_still_blocks(
    alice, blocking, file_request, act, mailoutbox, django_capture_on_commit_callbacks
):
    second = file_request(alice, SubjectRequest.Kind.BLOCKING, details="И адрес тоже неверен.")
    owed_letter_send.enqueue(user_id=alice.pk)

    with django_capture_on_commit_callbacks(execute=True):
        act(blocking, Action.TAKE_INTO_WORK)
        act(blocking, Action.UNBLOCK, comment="Фамилия проверена.")

    assert HeldLetter.objects.count() == 1
    assert second.subject_id == alice.pk


def test_a_timely_letter_is_not_sent_to_a_blocked_person_nor_later(
    alice, blocking, act, mailoutbox, django_capture_on_commit_callbacks
):
    timely_letter_send.enqueue(user_id=alice.pk)
    with django_capture_on_commit_callbacks(execute=True):
        act(blocking, Action.TAKE_INTO_WORK)
        act(blocking, Action.UNBLOCK, comment="Данные проверены.")

    assert not any(letter.subject.startswith("Напоминание") for letter in mailoutbox)
    assert not HeldLetter.objects.exists()


def test_letters_the_law_requires_still_go_to_a_blocked_person(
    alice, blocking, act, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        act(blocking, Action.TAKE_INTO_WORK)

    assert [letter.to for letter in mailoutbox] == [[alice.email]]
    assert blocking.number in mailoutbox[0].subject


def test_people_whose_data_is_not_blocked_get_every_letter(bob, blocking, mailoutbox):
    owed_letter_send.enqueue(user_id=bob.pk)
    timely_letter_send.enqueue(user_id=bob.pk)

    assert [letter.to for letter in mailoutbox] == [[bob.email], [bob.email]]


def test_every_letter_task_says_what_happens_to_it_while_the_data_is_blocked():
    def notice_send(*, user_id: int) -> None: ...

    with pytest.raises(TypeError):
        letter_task(notice_send)


def test_the_answer_to_a_blocked_persons_message_waits_for_the_unblocking(
    alice, blocking, act, mailoutbox, django_capture_on_commit_callbacks, admin_user
):
    from feedback import services as feedback_services
    from feedback.models import FeedbackMessage

    message = feedback_services.feedback_message_create(
        kind=FeedbackMessage.Kind.QUESTION,
        subject="Вопрос о начислениях",
        text="Прошу объяснить начисление за октябрь.",
        user=alice,
        guest=None,
    )
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        feedback_services.feedback_message_answer(
            message=message, answer_text="Начисление верное.", by=admin_user
        )
    assert not any(message.number in letter.subject for letter in mailoutbox)

    with django_capture_on_commit_callbacks(execute=True):
        act(blocking, Action.TAKE_INTO_WORK)
        act(blocking, Action.UNBLOCK, comment="Данные проверены.")

    assert any(f"Ответ на обращение № {message.number}" in m.subject for m in mailoutbox)
