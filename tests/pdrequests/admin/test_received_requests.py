"""Requests and consent withdrawals received on paper or by email, registered by staff for a
person with or without a portal account: the same journal, terms and workflow."""

import datetime

import pytest
from django.urls import reverse

from consents.models import ConsentPurpose, ConsentRecord
from consents.services import consent_give
from pdrequests import journal
from pdrequests.models import Action, SubjectRequest
from pdrequests.services import subject_request_register
from pdrequests.workflow import TransitionNotAllowed
from workcalendar.terms import Term, due_date

pytestmark = pytest.mark.django_db

REGISTER = reverse("admin:pdrequests_subjectrequest_register")
LETTER_DATE = datetime.date(2026, 11, 20)


def register(officer, **overrides):
    data = {
        "registered_by": officer,
        "kind": SubjectRequest.Kind.ACCESS,
        "received_via": SubjectRequest.ReceivedVia.PAPER,
        "document_number": "вх-117",
        "document_date": LETTER_DATE,
        "applicant_name": "Петрова Мария Ивановна",
        "applicant_contact": "г. Ивантеевка, ул. Новая, д. 1, кв. 2",
        "details": "Прошу сообщить, какие мои данные обрабатываются.",
    }
    return subject_request_register(**{**data, **overrides})


def test_a_paper_request_without_an_account_gets_a_number_and_the_legal_term(
    pd_officer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = register(pd_officer)

    assert request.subject is None
    assert (request.document_number, request.document_date) == ("вх-117", LETTER_DATE)
    assert request.received_via == SubjectRequest.ReceivedVia.PAPER
    assert request.due_on == due_date(Term.ANSWER, start=request.received_at)
    assert request.events.get().actor == pd_officer
    assert mailoutbox == []  # no account, no address of the portal's: staff answer by post


def test_it_is_worked_and_completed_like_any_other(pd_officer, act):
    request = act(register(pd_officer), Action.TAKE_INTO_WORK)

    with pytest.raises(TransitionNotAllowed, match="нет учётной записи"):
        act(request, Action.DESTROY)
    done = act(request, Action.COMPLETE, answer="Ваших данных в личном кабинете нет.")

    assert done.status == SubjectRequest.Status.COMPLETED
    assert done.outcome == SubjectRequest.Outcome.ANSWERED


def test_a_withdrawal_without_an_account_is_answered_without_a_destruction(pd_officer, act):
    request = act(register(pd_officer, kind=SubjectRequest.Kind.WITHDRAWAL), Action.TAKE_INTO_WORK)

    done = act(request, Action.COMPLETE, answer="Обработка прекращена, данных в ЛКК нет.")

    assert done.status == SubjectRequest.Status.COMPLETED


def test_a_paper_withdrawal_of_an_account_holder_withdraws_their_consent(pd_officer, alice):
    consent_give(
        user=alice,
        purpose_code=ConsentPurpose.ACCOUNT,
        source=ConsentRecord.Source.REGISTRATION,
        ip_address=None,
        user_agent="",
    )

    request = register(
        pd_officer,
        kind=SubjectRequest.Kind.WITHDRAWAL,
        subject=alice,
        applicant_name="",
        applicant_contact="",
        received_via=SubjectRequest.ReceivedVia.EMAIL,
    )

    record = ConsentRecord.objects.current_for(alice).get(purpose__code=ConsentPurpose.ACCOUNT)
    assert record.action == ConsentRecord.Action.WITHDRAWN
    assert record.source == ConsentRecord.Source.STAFF_PAPER
    assert (record.acted_by, record.document_number, record.document_date) == (
        pd_officer,
        "вх-117",
        LETTER_DATE,
    )
    alice.refresh_from_db()
    assert not alice.is_active
    # One request: the one registered, with its document; the withdrawal files no second one.
    assert list(SubjectRequest.objects.filter(subject=alice)) == [request]
    assert request.due_on == due_date(Term.DESTROY_AFTER_WITHDRAWAL, start=request.received_at)


def test_the_inspectors_journal_lists_it_without_an_account(pd_officer):
    request = register(pd_officer)

    (row,) = journal.journal_rows(SubjectRequest.objects.filter(pk=request.pk))

    assert row[3] == journal.WITHOUT_ACCOUNT


def test_the_officer_registers_one_on_the_desk(as_staff, pd_officer):
    response = as_staff(pd_officer).post(
        REGISTER,
        {
            "received_via": "email",
            "document_number": "эл-5",
            "document_date": "20.11.2026",
            "kind": "access",
            "applicant_name": "Петрова Мария Ивановна",
            "applicant_contact": "maria@example.ru",
            "filed_by": "subject",
            "details": "Какие мои данные у вас есть?",
        },
    )

    request = SubjectRequest.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("admin:pdrequests_subjectrequest_change", args=[request.pk])
    assert (request.applicant_contact, request.filed_by_user) == ("maria@example.ru", pd_officer)
    page = as_staff(pd_officer).get(response.url).content.decode()
    assert "Петрова Мария Ивановна · maria@example.ru (без учётной записи в ЛКК)" in page
    assert "эл-5" in page


def test_the_form_wants_an_account_or_a_name_and_an_address(as_staff, pd_officer):
    client = as_staff(pd_officer)
    base = {
        "received_via": "paper",
        "document_number": "вх-1",
        "document_date": "20.11.2026",
        "kind": "access",
        "filed_by": "subject",
        "details": "Запрос.",
    }

    page = client.post(REGISTER, base).content.decode()
    unknown = client.post(REGISTER, {**base, "subject_email": "nobody@example.ru"})

    assert "Укажите ФИО субъекта." in page
    assert "Укажите, куда направить ответ." in page
    assert "Учётной записи с таким адресом нет" in unknown.content.decode()
    assert not SubjectRequest.objects.exists()


def test_others_see_the_applicant_masked(as_staff, auditor, pd_officer):
    request = register(pd_officer)

    listing = as_staff(auditor).get(reverse("admin:pdrequests_subjectrequest_changelist"))
    page = as_staff(auditor).get(
        reverse("admin:pdrequests_subjectrequest_change", args=[request.pk])
    )

    for content in (listing.content.decode(), page.content.decode()):
        assert "Петрова" not in content
        assert "Новая" not in content
    assert "(без учётной записи)" in listing.content.decode()


def test_staff_without_the_right_cannot_register(as_staff, auditor):
    assert as_staff(auditor).get(REGISTER).status_code == 403
