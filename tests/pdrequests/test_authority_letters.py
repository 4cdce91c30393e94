"""A request Roskomnadzor filed is answered to Roskomnadzor: receipt, extension and answer go to
the authority's address, and the person is told only what the law requires — that their data
were corrected, unblocked or destroyed (152-FZ art. 21 p. 2-4)."""

import datetime

import pytest

from pdrequests.models import Action, SubjectRequest

pytestmark = pytest.mark.django_db

AUTHORITY = "rsockanc77@example.gov.ru"


@pytest.fixture
def authority_request(alice, file_request, django_capture_on_commit_callbacks, mailoutbox):
    def file(kind=SubjectRequest.Kind.ACCESS, **extra) -> SubjectRequest:
        with django_capture_on_commit_callbacks(execute=True):
            return file_request(
                alice,
                kind,
                filed_by=SubjectRequest.FiledBy.AUTHORITY,
                details="Запрос сведений об обработке.",
                authority_letter_number="08-12345",
                authority_letter_date=datetime.date(2026, 3, 1),
                authority_email=AUTHORITY,
                **extra,
            )

    return file


def test_the_receipt_goes_to_the_authority_not_to_the_person(authority_request, mailoutbox):
    request = authority_request()

    [letter] = mailoutbox
    assert letter.to == [AUTHORITY]
    assert "08-12345" in letter.subject
    assert request.number in letter.body
    assert "Запрос получен" in letter.body
    assert "alice@example.ru" not in letter.body


def test_the_answer_goes_to_the_authority_alone(
    authority_request, act, mailoutbox, django_capture_on_commit_callbacks
):
    request = authority_request()
    with django_capture_on_commit_callbacks(execute=True):
        request = act(request, Action.TAKE_INTO_WORK)
        request = act(request, Action.EXTEND, comment="Нужна проверка в биллинге.")
        act(request, Action.COMPLETE, answer="Сведения об обработке: …")

    assert {tuple(letter.to) for letter in mailoutbox} == {(AUTHORITY,)}
    assert "Срок ответа продлён" in mailoutbox[2].body
    assert "Сведения об обработке: …" in mailoutbox[-1].body


def test_the_person_learns_that_their_data_were_corrected(
    authority_request, act, mailoutbox, django_capture_on_commit_callbacks
):
    request = authority_request(
        SubjectRequest.Kind.CORRECTION, corrections={"last_name": "Петрова"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        request = act(request, Action.TAKE_INTO_WORK)
        request = act(request, Action.REQUEST_DOCUMENTS)
        request = act(request, Action.RECEIVE_DOCUMENTS, comment="Паспорт предъявлен.")
    assert {tuple(letter.to) for letter in mailoutbox} == {(AUTHORITY,)}
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        act(request, Action.APPLY_CORRECTION, comment="Фамилия исправлена.")

    assert sorted(tuple(letter.to) for letter in mailoutbox) == [
        ("alice@example.ru",),
        (AUTHORITY,),
    ]
