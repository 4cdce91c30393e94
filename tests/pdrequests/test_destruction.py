"""Destroying a subject's PD: nothing identifying stays, the evidence the law requires does."""

import json
import os
from datetime import timedelta
from io import StringIO

import pytest
from axes.models import AccessLog
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult

from accounts.models import SignedInSession
from billing.models import AccountLink, LinkAttempt
from billing.personal_data import UNLINK_REASON
from bills.models import ElectronicReceiptChoice, ReceiptLetter
from consents import services
from consents.models import ConsentRecord, PolicyAcknowledgement
from meters.models import Reading, ReminderPreference
from pdrequests.destruction import REDACTED
from pdrequests.models import (
    Action,
    DestructionAct,
    DestructionNotice,
    SubjectRequest,
    SubjectRequestEvent,
)
from servicerequests.models import Attachment, ServiceRequest
from tests.conftest import BROWSER
from tests.consents.conftest import assert_refused
from tests.pdrequests.conftest import (
    CONSENT_IP,
    LINK_IP,
    NEW_ADDRESS,
    READING_IP,
    REPRESENTATIVE,
    SESSION_IP,
    VISIT_IP,
)
from visits.models import Visit

pytestmark = pytest.mark.django_db

# Every value that identified Alice, her earlier surname included.
HER_PD = [
    "alice@example.ru",
    NEW_ADDRESS,
    "Иванова",
    "Петрова",
    "Алиса",
    "Петровна",
    "+79161234567",
    "9161234567",
    CONSENT_IP,
    LINK_IP,
    VISIT_IP,
    READING_IP,
    SESSION_IP,
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


def test_destruction_leaves_no_personal_data_anywhere(
    withdrawal, act, alice, django_capture_on_commit_callbacks
):
    secret_key = TOTPDevice.objects.get(user=alice).key
    her_pd = [*HER_PD, secret_key]
    before = _everything_stored()
    assert all(value in before for value in her_pd)  # the test would see them

    # Once the transaction commits, the destruction notice goes out and its address with it.
    with django_capture_on_commit_callbacks(execute=True):
        act(withdrawal, Action.DESTROY, comment="Согласие отозвано, оснований хранить нет.")

    after = _everything_stored()
    assert [value for value in her_pd if value in after] == []


def test_the_address_of_the_destruction_notice_waits_only_for_its_letter(withdrawal, act):
    request = act(withdrawal, Action.DESTROY, comment="Согласие отозвано.")

    notice = DestructionNotice.objects.get(event__request=request)
    assert notice.email == "alice@example.ru"
    assert "alice@example.ru" not in json.dumps(list(DBTaskResult.objects.values("args_kwargs")))

    call_command("apply_retention", stdout=StringIO())  # a letter that never went
    assert DestructionNotice.objects.exists()  # within DESTRUCTION_NOTICE_RETENTION_DAYS
    DestructionNotice.objects.update(created_at=timezone.now() - timedelta(days=8))
    call_command("apply_retention", stdout=StringIO())
    assert not DestructionNotice.objects.exists()


def test_her_files_leave_the_disk_once_the_destruction_commits(
    withdrawal, act, alice, django_capture_on_commit_callbacks
):
    [photo] = Attachment.objects.filter(request__user=alice)
    assert os.path.exists(photo.file.path)

    with django_capture_on_commit_callbacks(execute=True):
        act(withdrawal, Action.DESTROY, comment="Согласие отозвано.")

    assert not os.path.exists(photo.file.path)
    assert not ServiceRequest.objects.filter(user=alice).exists()


def test_readings_stay_for_billing_and_the_electronic_receipt_turns_back_to_paper(
    withdrawal, act, alice
):
    act(withdrawal, Action.DESTROY, comment="Согласие отозвано.")

    reading = Reading.objects.get(user=alice)
    assert (reading.value_t1, reading.ip_address) == (12100, None)
    latest = ElectronicReceiptChoice.objects.filter(user=alice).order_by("-chosen_at", "-pk")
    assert [c.electronic for c in latest] == [False, True]
    assert latest.first().export is None  # billing gets it with the next export
    for model in (SignedInSession, TOTPDevice, StaticDevice, ReminderPreference, ReceiptLetter):
        assert not model.objects.filter(user=alice).exists(), model


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
    assert counts["сеансы входа (завершены и удалены)"] == 2  # one of them with its browser
    assert counts["сведения о сеансах входа (браузер, IP-адрес) удалены"] == 1
    assert counts["записи фоновых задач (обезличены)"] == 1
    assert counts["переданные показания счётчиков (IP-адреса уничтожены)"] == 1
    assert counts["заявки с историей и приложенными файлами (удалены)"] == 1
    assert counts["электронные квитанции (заменены бумажными)"] == 1
    assert counts["второй фактор входа (ключ и коды восстановления удалены)"] > 0
    assert "Заявки и приложенные к ним файлы" in destruction.categories
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
