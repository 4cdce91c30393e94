"""`manage.py apply_retention`: each category of the registry expires by its own period, in
batches, and what was done is written to the journal."""

import uuid
from datetime import datetime, timedelta
from io import StringIO

import pytest
from axes.models import AccessLog
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.models import User
from billing.models import AccountLink, LinkAttempt, LinkOutcome
from consents.models import ConsentRecord
from feedback import services as feedback_services
from feedback.models import FeedbackMessage, SpecialistRating
from lkk.models import RetentionRecord
from mailings.models import Mailing, MailingDelivery
from visits.models import Visit

pytestmark = pytest.mark.django_db


def ago(**delta) -> datetime:
    return timezone.now() - timedelta(**delta)


def run(*args: str) -> str:
    out = StringIO()
    call_command("apply_retention", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def old_and_new(alice, admin_user):
    """One row past its period and one within it, for every category that expires."""
    for days in (400, 10):
        at = ago(days=days)
        Visit.objects.create(time=at, user=alice, path="/", status=200, duration_ms=1)
        LinkAttempt.objects.create(
            user=alice,
            ip_address="203.0.113.7",
            number_masked="****0001",
            number_digest="d" * 64,
            factor=AccountLink.Factor.SURNAME,
            outcome=LinkOutcome.FACTOR_MISMATCH,
            attempted_at=at,
        )
        log = AccessLog.objects.create(username=alice.email, ip_address="203.0.113.7")
        AccessLog.objects.filter(pk=log.pk).update(attempt_time=at)
        mailing = Mailing.objects.create(subject=f"Новости {days}", body="…", created_by=admin_user)
        MailingDelivery.objects.create(mailing=mailing, user=alice, created_at=at, sent_at=at)
        DBTaskResult.objects.create(
            id=uuid.uuid4(),
            status="SUCCESSFUL",
            args_kwargs={"args": [], "kwargs": {"user_id": alice.pk}},
            task_path="accounts.tasks.verification_letter_send",
            backend_name="default",
            queue_name="default",
            run_after=at,
            finished_at=at,
        )
        Session.objects.create(
            session_key=f"s{days:039d}", session_data="x", expire_date=ago(days=days - 20)
        )
    guest = feedback_services.Guest(
        name="Гость", email="guest@example.ru", phone="", ip_address="192.0.2.9", user_agent="x"
    )
    for days in (1200, 10):
        message = feedback_services.feedback_message_create(
            kind=FeedbackMessage.Kind.QUESTION, subject="Вопрос", text="Текст", guest=guest
        )
        FeedbackMessage.objects.filter(pk=message.pk).update(
            received_at=ago(days=days),
            closed_at=ago(days=days),
            status=FeedbackMessage.Status.CLOSED,
        )
        message = feedback_services.feedback_message_create(
            kind=FeedbackMessage.Kind.QUESTION, subject="Вопрос", text="Текст", user=alice
        )
        FeedbackMessage.objects.filter(pk=message.pk).update(
            received_at=ago(days=days),
            closed_at=ago(days=days),
            status=FeedbackMessage.Status.CLOSED,
        )
        rating = SpecialistRating.objects.create(
            feedback_message=message, specialist=admin_user, author=alice, score=5
        )
        SpecialistRating.objects.filter(pk=rating.pk).update(created_at=ago(days=days))


def test_each_category_loses_exactly_what_is_past_its_period(old_and_new):
    run()

    assert Visit.objects.count() == 1  # VISIT_RETENTION_DAYS = 180
    assert LinkAttempt.objects.count() == 1  # 365
    assert AccessLog.objects.count() == 1  # 365
    assert MailingDelivery.objects.count() == 1  # 365
    assert DBTaskResult.objects.count() == 1  # 30
    assert Session.objects.count() == 1  # expired ones
    assert FeedbackMessage.objects.filter(user__isnull=True).count() == 1  # 1095
    assert FeedbackMessage.objects.filter(user__isnull=False).count() == 2  # a consumer's stay
    assert SpecialistRating.objects.count() == 1  # 1095


def test_the_periods_are_settings(old_and_new, settings):
    settings.VISIT_RETENTION_DAYS = 5
    settings.MAILING_DELIVERY_RETENTION_DAYS = 1000

    run()

    assert Visit.objects.count() == 0
    assert MailingDelivery.objects.count() == 2


def test_what_was_done_is_written_to_the_journal(old_and_new):
    output = run()

    journal = {r.category: (r.action, r.count) for r in RetentionRecord.objects.all()}
    assert journal["visits.page_views"] == ("записи о просмотрах страниц (удалены)", 1)
    assert journal["lkk.tasks"] == ("результаты фоновых задач (удалены)", 1)
    assert journal["feedback.messages"] == ("сообщения гостей в обратную связь (удалены)", 1)
    assert "Посещения страниц личного кабинета — записи о просмотрах страниц (удалены): 1" in (
        output
    )
    run()  # nothing left to expire: nothing more in the journal
    assert RetentionRecord.objects.count() == len(journal)


def test_dry_run_counts_and_changes_nothing(old_and_new):
    before = Visit.objects.count(), LinkAttempt.objects.count(), DBTaskResult.objects.count()

    output = run("--dry-run")

    assert (Visit.objects.count(), LinkAttempt.objects.count(), DBTaskResult.objects.count()) == (
        before
    )
    assert not RetentionRecord.objects.exists()
    assert "ничего не изменено" in output
    assert "записи о просмотрах страниц (удалены): 1" in output


def test_an_unconfirmed_registration_is_destroyed_and_its_consent_kept_as_evidence(
    django_capture_on_commit_callbacks, bob, policy_in_force
):
    from accounts.services import user_register

    with django_capture_on_commit_callbacks(execute=True):
        user = user_register(
            email="stale@example.ru",
            password="Secret-pass-12345",
            last_name="Забытов",
            first_name="Пётр",
            patronymic="",
            phone="+79160000001",
            mailings=False,
            representative=None,
            ip_address="192.0.2.50",
            user_agent="Browser",
        )
    User.objects.filter(pk=user.pk).update(date_joined=ago(days=31))
    records = ConsentRecord.objects.filter(user=user).count()

    run()

    user.refresh_from_db()
    assert (user.email, user.last_name, user.phone) == (
        f"subject-{user.pk}@pd-destroyed.invalid",
        "",
        "",
    )
    kept = ConsentRecord.objects.filter(user=user)
    assert kept.count() == records
    assert set(kept.values_list("ip_address", flat=True)) == {None}
    bob.refresh_from_db()
    assert bob.email == "bob@example.ru"  # a confirmed account is not touched


def test_admin_log_expires_after_its_period(admin_user, settings):
    settings.ADMIN_LOG_RETENTION_DAYS = 30
    for days in (31, 1):
        entry = LogEntry.objects.create(
            user=admin_user, object_repr="x", action_flag=ADDITION, change_message=""
        )
        LogEntry.objects.filter(pk=entry.pk).update(action_time=ago(days=days))

    run()

    assert LogEntry.objects.count() == 1


def test_a_registration_set_aside_by_a_later_one_is_destroyed_after_the_period(
    django_capture_on_commit_callbacks, policy_in_force
):
    from accounts.services import user_register

    def register(last_name: str):
        with django_capture_on_commit_callbacks(execute=True):
            return user_register(
                email="twice@example.ru",
                password="Secret-pass-12345",
                last_name=last_name,
                first_name="Пётр",
                patronymic="",
                phone="",
                mailings=False,
                representative=None,
                ip_address="192.0.2.51",
                user_agent="Browser",
            )

    first = register("Первый")
    register("Второй")  # replaces the unconfirmed first registration
    first.refresh_from_db()
    assert first.email.endswith("@unconfirmed.invalid")
    User.objects.filter(pk=first.pk).update(date_joined=ago(days=31))

    run()

    first.refresh_from_db()
    assert first.email == f"subject-{first.pk}@pd-destroyed.invalid"
    assert set(ConsentRecord.objects.filter(user=first).values_list("ip_address", flat=True)) == {
        None
    }
    assert User.objects.get(email="twice@example.ru").last_name == "Второй"  # within its period


def test_the_apps_around_the_account_expire_by_their_own_periods(alice, admin_user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import SignedInSession
    from billing.models import PersonalAccount
    from bills.models import ReceiptLetter
    from meters.models import Meter, Reading, ReadingOutcome, ReminderSent

    meter = Meter.objects.create(
        account=PersonalAccount.objects.create(number="1000000009", address="—", holder_name="—"),
        serial_number="S1",
    )
    for n, days in enumerate((1100, 400, 10)):
        at = ago(days=days)
        reading = Reading.objects.create(
            number=f"ПП-{n}",
            meter=meter,
            period=at.date().replace(day=1),
            value_t1=100 + n,
            source=Reading.Source.WEB,
            user=alice,
            ip_address="203.0.113.7",
            submitted_at=at,
        )
        ReadingOutcome.objects.create(reading=reading, accepted=True, billed_month=reading.period)
        ReminderSent.objects.create(user=alice, period=reading.period, sent_at=at)
        ReceiptLetter.objects.create(user=alice, period=reading.period, created_at=at, sent_at=at)
    for key, days, confirmed in (("a", 2, False), ("b", 0, False), ("c", 400, True)):
        device = TOTPDevice.objects.create(user=alice, name=key, confirmed=confirmed)
        TOTPDevice.objects.filter(pk=device.pk).update(created_at=ago(days=days, minutes=1))
        session = Session.objects.create(
            session_key=f"{key}" * 40, session_data="x", expire_date=ago(days=days - 1)
        )
        SignedInSession.objects.create(session=session, user=alice, masked_ip="203.0.113.*")

    run()

    assert list(Reading.objects.values_list("number", flat=True)) == ["ПП-2", "ПП-1"]  # 1095
    assert ReadingOutcome.objects.count() == 2
    assert ReminderSent.objects.count() == 1  # 365
    assert ReceiptLetter.objects.count() == 1  # 365
    assert set(TOTPDevice.objects.values_list("name", flat=True)) == {"b", "c"}  # unconfirmed: 1
    assert SignedInSession.objects.count() == 1  # with their sessions
    journal = {r.category: r.count for r in RetentionRecord.objects.all()}
    assert journal["meters.readings"] == 1
    assert journal["accounts.second_factor"] == 1


def test_the_journal_is_read_in_the_admin_and_never_changed_there(old_and_new, client, admin_user):
    run()
    record = RetentionRecord.objects.get(category="visits.page_views")
    client.force_login(admin_user)

    listing = client.get(reverse("admin:lkk_retentionrecord_changelist"))
    page = client.get(reverse("admin:lkk_retentionrecord_change", args=[record.pk]))

    assert listing.status_code == 200
    assert "записи о просмотрах страниц (удалены)" in listing.content.decode()
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    assert client.get(reverse("admin:lkk_retentionrecord_add")).status_code == 403
    assert client.post(
        reverse("admin:lkk_retentionrecord_delete", args=[record.pk])
    ).status_code == (403)
    assert RetentionRecord.objects.filter(pk=record.pk).exists()
