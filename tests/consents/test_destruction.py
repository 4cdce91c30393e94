"""Destroying a subject's PD: nothing identifying stays, the evidence the law requires does."""

import uuid

import pytest
from axes.models import AccessLog
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from billing.models import AccountLink, LinkAttempt, LinkDispute, PersonalAccount
from billing.personal_data import UNLINK_REASON
from consents import services
from consents.destruction import REDACTED
from consents.models import (
    Action,
    ConsentRecord,
    DestructionAct,
    PolicyAcknowledgement,
    SubjectRequest,
    SubjectRequestEvent,
)
from consents.services import Representative
from feedback import services as feedback_services
from feedback.models import FeedbackMessage
from incidents import services as incident_services
from incidents.models import DataCategory, Incident, IncidentNotification
from mailings.models import Mailing, MailingDelivery
from tests.conftest import BROWSER
from tests.consents.conftest import assert_refused
from visits.models import Visit

pytestmark = pytest.mark.django_db

CONSENT_IP = "203.0.113.7"
LINK_IP = "198.51.100.23"
VISIT_IP = "198.51.100.24"
REPRESENTATIVE = "Иванов Пётр Сергеевич"
# Every value that identified Alice, her earlier surname included.
HER_PD = [
    "alice@example.ru",
    "Иванова",
    "Петрова",
    "Алиса",
    "Петровна",
    "+79161234567",
    "9161234567",
    CONSENT_IP,
    LINK_IP,
    VISIT_IP,
    REPRESENTATIVE,
    "IV-МЮ 123456",
    BROWSER,
]
# The billing system's registry of лицевые счета is its own copy of the supply contract's data,
# refreshed by every import and not the portal's to destroy (see billing/personal_data.py).
KEPT_BY_THE_BILLING_SYSTEM = {"billing_personalaccount"}


def _everything_stored() -> str:
    """Every text column of every table, the task table included, as text: what an inspector
    (or an intruder) could read."""
    with connection.cursor() as cursor:
        tables = sorted(
            set(connection.introspection.table_names(cursor)) - KEPT_BY_THE_BILLING_SYSTEM
        )
        return "\n".join(
            row[0]
            for table in tables
            for row in cursor.execute(f'SELECT t::text FROM "{table}" t').fetchall()  # noqa: S608
        )


@pytest.fixture
def alices_history(
    alice, give, act, file_request, publish_policy, admin_user, django_capture_on_commit_callbacks
):
    """Two years of Alice on the portal: consents (one via her representative), a policy read,
    a linked account, link attempts, page views, a corrected surname, a login record, a
    message answered and rated, an incident that listed and notified her."""
    give(alice)
    give(
        alice,
        "mailings",
        representative=Representative(
            representative_name=REPRESENTATIVE,
            represented_name="Иванова Алиса Петровна",
            basis_document_type="доверенность",
            basis_document_number="IV-МЮ 123456",
        ),
    )
    services.policy_acknowledge(
        user=alice, policy_version=publish_policy("2.0"), ip_address=CONSENT_IP, user_agent=BROWSER
    )
    account = PersonalAccount.objects.create(
        number="1000000001",
        address="г. Ивантеевка, ул. Толмачёва, д. 5",
        holder_name="Иванова А. П.",
    )
    AccountLink.objects.create(user=alice, account=account, factor=AccountLink.Factor.SURNAME)
    LinkAttempt.objects.create(
        user=alice,
        ip_address=LINK_IP,
        account=account,
        number_masked="100*****01",
        number_digest="0" * 64,
        factor=AccountLink.Factor.SURNAME,
        outcome=LinkAttempt.Outcome.LINKED,
    )
    Visit.objects.bulk_create(
        Visit(time=timezone.now(), ip=VISIT_IP, user=alice, path=path, status=200, duration_ms=9)
        for path in ("/kabinet/", "/kabinet/dannye/", "/kabinet/soglasiya/")
    )
    AccessLog.objects.create(
        username=alice.email, ip_address=LINK_IP, user_agent=BROWSER, http_accept="*/*"
    )
    message = feedback_services.feedback_message_create(
        kind=FeedbackMessage.Kind.QUESTION,
        subject="Вопрос от Иванова Алиса",
        text="Пишу я, Иванова Алиса Петровна, звоните +79161234567 или на alice@example.ru.",
        user=alice,
    )
    feedback_services.feedback_messages_assign(
        messages=FeedbackMessage.objects.filter(pk=message.pk), assignee=admin_user
    )
    message = feedback_services.feedback_message_answer(
        message=FeedbackMessage.objects.get(pk=message.pk),
        answer_text="Алиса Петровна, начисление верное.",
        by=admin_user,
    )
    feedback_services.specialist_rating_create(
        author=alice,
        work=feedback_services.RatedWork.of(message),
        score=5,
        comment="Спасибо от Иванова Алиса, alice@example.ru",
    )
    incident = Incident.objects.create(
        title="Выгрузка адресов с тестового сервера",
        kind=Incident.Kind.DISCLOSURE,
        description="Тестовый сервер с копией базы был доступен из интернета.",
        detected_at=timezone.now(),
        data_categories=[DataCategory.EMAIL],
        subjects=Incident.Subjects.LIST,
        subject_list="alice@example.ru\nbob@example.ru",
        notice_text="Посторонний получил доступ к адресам электронной почты.",
        created_by=admin_user,
    )
    with django_capture_on_commit_callbacks(execute=True):  # the notices go out after commit
        incident_services.incident_notify(incident=incident, started_by=admin_user)
    assert IncidentNotification.objects.filter(user=alice).exists()
    dispute = LinkDispute.objects.create(
        user=alice, account=account, comment="Это мой счёт, Иванова Алиса, +79161234567"
    )
    assert dispute.pk
    mailing = Mailing.objects.create(subject="Новости", body="Текст", created_by=admin_user)
    MailingDelivery.objects.create(mailing=mailing, user=alice, sent_at=timezone.now())
    feedback_services.feedback_message_create(
        kind=FeedbackMessage.Kind.QUESTION,
        subject="Вопрос без входа",
        text="Пишет Иванова Алиса Петровна",
        guest=feedback_services.Guest(
            name="Иванова Алиса",
            email="alice@example.ru",
            phone="+79161234567",
            ip_address=VISIT_IP,
            user_agent=BROWSER,
        ),
    )
    session = SessionStore()
    session["_auth_user_id"] = str(alice.pk)
    session.create()
    # A letter task the mail server refused: the error quotes her address.
    DBTaskResult.objects.create(
        id=uuid.uuid4(),
        status="FAILED",
        args_kwargs={"args": [], "kwargs": {"user_id": alice.pk, "attempt": 5}},
        task_path="accounts.tasks.verification_letter_send",
        backend_name="default",
        queue_name="default",
        run_after=timezone.now(),
        exception_class_path="smtplib.SMTPRecipientsRefused",
        traceback="SMTPRecipientsRefused: {'alice@example.ru': (550, 'no such user')}",
    )
    correction = file_request(
        alice,
        SubjectRequest.Kind.CORRECTION,
        corrections={"last_name": "Петрова"},
        details="Моя фамилия теперь Петрова, alice@example.ru",
    )
    correction = act(correction, Action.TAKE_INTO_WORK)
    correction = act(correction, Action.REQUEST_DOCUMENTS)
    correction = act(correction, Action.RECEIVE_DOCUMENTS, comment="Иванова показала паспорт.")
    correction = act(correction, Action.APPLY_CORRECTION, comment="Иванова → Петрова.")
    act(correction, Action.COMPLETE, answer="Алиса Петровна, фамилия исправлена на Петрова.")
    alice.refresh_from_db()
    return alice


@pytest.fixture
def withdrawal(alices_history, act) -> SubjectRequest:
    """Alice withdraws her consent; the request that follows is in work."""
    services.consent_withdraw(
        user=alices_history,
        purpose_code="account",
        source=ConsentRecord.Source.PROFILE,
        ip_address=CONSENT_IP,
        user_agent=BROWSER,
    )
    request = SubjectRequest.objects.get(kind=SubjectRequest.Kind.WITHDRAWAL)
    return act(request, Action.TAKE_INTO_WORK)


def test_destruction_leaves_no_personal_data_anywhere(withdrawal, act):
    before = _everything_stored()
    assert all(value in before for value in HER_PD)  # the test would see them

    act(withdrawal, Action.DESTROY, comment="Согласие отозвано, оснований хранить нет.")

    after = _everything_stored()
    assert [value for value in HER_PD if value in after] == []


def test_the_journal_and_the_consent_records_stay_complete(withdrawal, act, alice):
    records = list(
        ConsentRecord.objects.filter(user=alice).values_list("pk", "purpose__code", "action")
    )
    events = list(
        SubjectRequestEvent.objects.filter(request__subject=alice).values_list(
            "pk", "action", "from_status", "to_status", "at"
        )
    )

    act(withdrawal, Action.DESTROY, comment="Согласие отозвано.")

    assert (
        list(ConsentRecord.objects.filter(user=alice).values_list("pk", "purpose__code", "action"))
        == records
    )
    kept = SubjectRequestEvent.objects.filter(request__subject=alice)
    assert list(kept.values_list("pk", "action", "from_status", "to_status", "at")) == [
        *events,
        *kept.filter(action=Action.DESTROY).values_list(
            "pk", "action", "from_status", "to_status", "at"
        ),
    ]


def test_personal_data_in_the_journal_is_replaced_by_a_pseudonymous_reference(
    withdrawal, act, alice
):
    act(withdrawal, Action.DESTROY, comment="Согласие отозвано.")

    reference = f"субъект-{alice.pk}"
    correction = SubjectRequest.objects.get(kind=SubjectRequest.Kind.CORRECTION)
    assert correction.corrections == [
        {"field": "last_name", "current": REDACTED, "requested": REDACTED}
    ]
    assert correction.details == f"Моя фамилия теперь {reference}, {reference}"
    event = correction.events.get(action=Action.APPLY_CORRECTION)
    assert event.data == {"changes": [{"field": "last_name", "old": REDACTED, "new": REDACTED}]}
    assert event.comment == f"{reference} → {reference}."
    by_representative = ConsentRecord.objects.get(
        user=alice, purpose__code="mailings", action="given"
    )
    assert (by_representative.representative_name, by_representative.represented_name) == (
        reference,
        reference,
    )
    assert by_representative.ip_address is None
    assert PolicyAcknowledgement.objects.get(user=alice).ip_address is None


def test_the_account_stays_as_a_closed_pseudonymous_shell(withdrawal, act, alice):
    act(withdrawal, Action.DESTROY, comment="Согласие отозвано.")

    alice.refresh_from_db()
    assert alice.email == f"subject-{alice.pk}@pd-destroyed.invalid"
    assert (alice.last_name, alice.first_name, alice.patronymic, alice.phone) == ("", "", "", "")
    assert not alice.is_active
    assert not alice.has_usable_password()


def test_links_are_ended_and_page_views_kept_as_anonymous_counts(withdrawal, act, alice):
    act(withdrawal, Action.DESTROY, comment="Согласие отозвано.")

    link = AccountLink.objects.get()
    assert link.unlinked_at is not None
    assert link.unlink_reason == UNLINK_REASON
    assert Visit.objects.count() == 3
    assert not Visit.objects.filter(user__isnull=False).exists()
    assert LinkAttempt.objects.get().ip_address is None
    assert not AccessLog.objects.exists()


def test_the_destruction_act_says_whose_what_where_why_when_and_who(
    withdrawal, act, alice, pd_officer
):
    request = act(withdrawal, Action.DESTROY, comment="Согласие отозвано 01.03.")

    destruction = DestructionAct.objects.get()
    assert destruction.request == request
    assert destruction.subject_reference == f"субъект-{alice.pk}"
    assert "Учётная запись" in destruction.categories
    assert "Вопросы, претензии и ответы на них" in destruction.categories
    assert destruction.systems
    assert request.number in destruction.reason
    assert "Согласие отозвано 01.03." in destruction.reason
    assert destruction.performed_by == pd_officer
    counts = destruction.counts
    assert (
        counts["записи о согласиях (обезличены)"]
        == ConsentRecord.objects.filter(user=alice).count()
    )
    assert counts["привязки лицевых счетов (прекращены)"] == 1
    assert counts["просмотры страниц (обезличены)"] == 3
    assert counts["сообщения в обратную связь (тексты уничтожены)"] == 2  # signed in and as guest
    assert counts["отметки об отправке рассылок (удалены)"] == 1
    assert counts["сеансы входа (завершены и удалены)"] == 1
    assert counts["записи фоновых задач (обезличены)"] == 1
    assert request.destroyed_at == destruction.destroyed_at
    assert request.events.get(action=Action.DESTROY).data == {"act": destruction.pk}


def test_destruction_also_ends_a_blocking(alice, file_request, act):
    request = act(
        file_request(alice, SubjectRequest.Kind.BLOCKING, reason=SubjectRequest.Reason.UNLAWFUL),
        Action.TAKE_INTO_WORK,
    )

    request = act(request, Action.DESTROY, comment="Обработка неправомерна.")

    assert not request.blocking_in_force
    request = act(request, Action.COMPLETE, answer="Данные уничтожены.")
    assert request.outcome == SubjectRequest.Outcome.DESTROYED


def test_consent_records_stay_protected_from_everything_else(withdrawal, act, alice):
    act(withdrawal, Action.DESTROY, comment="Согласие отозвано.")
    record = ConsentRecord.objects.filter(user=alice).first()
    event = SubjectRequestEvent.objects.filter(request__subject=alice).first()

    for statement in (
        lambda: ConsentRecord.objects.filter(pk=record.pk).update(ip_address="192.0.2.1"),
        lambda: ConsentRecord.objects.filter(pk=record.pk).delete(),
        lambda: SubjectRequestEvent.objects.filter(pk=event.pk).update(comment="иначе"),
        lambda: PolicyAcknowledgement.objects.update(user_agent="иначе"),
    ):
        assert_refused(statement)


def test_the_destruction_notice_reaches_the_old_address_and_nothing_follows(
    withdrawal, act, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()  # the letters of her history (the incident notice)
    with django_capture_on_commit_callbacks(execute=True):
        request = act(withdrawal, Action.DESTROY, comment="Согласие отозвано.")
    with django_capture_on_commit_callbacks(execute=True):
        act(request, Action.COMPLETE, answer="Данные уничтожены.")

    [notice] = mailoutbox
    assert notice.to == ["alice@example.ru"]
    assert "уничтожены" in notice.body
    assert "Алиса" not in notice.body  # written after the name was destroyed
