"""Fixtures for PD-request tests: a PD officer taking actions, a frozen clock, and two years of
Alice on the portal (data in every category of the registry)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from consents import services
from tests.conftest import BROWSER

MOSCOW = ZoneInfo("Europe/Moscow")
CONSENT_IP = "203.0.113.7"
LINK_IP = "198.51.100.23"
VISIT_IP = "198.51.100.24"
NEW_ADDRESS = "alice.new@example.ru"  # asked for, never confirmed
REPRESENTATIVE = "Иванов Пётр Сергеевич"
READING_IP = "198.51.100.25"
SESSION_IP = "198.51.100.*"  # «Где выполнен вход» keeps the address without its last part


def history_in_other_apps(user, account, *, specialist, i: int = 0) -> None:
    """Give `user` a record in every category of the apps around the account: a reading and
    reminders, a month's charge and a payment, the electronic receipt and its letter, a service
    request with a photo, a comment and an answer, a signed-in session and a second factor."""
    import uuid

    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session

    from accounts import second_factor
    from accounts.models import SignedInSession
    from bills.models import Charge, ElectronicReceiptChoice, Payment, ReceiptLetter
    from meters.models import Meter, Reading, ReminderPreference, ReminderSent
    from servicerequests import services as request_services
    from servicerequests.files import file_check
    from servicerequests.models import RequestKind
    from tests.servicerequests.conftest import jpeg_bytes, upload

    meter = Meter.objects.create(account=account, serial_number=f"3812457{i}")
    Reading.objects.create(
        number=f"ПП-{user.pk}-{i}",
        meter=meter,
        period="2026-12-01",
        value_t1=12100 + i,
        source=Reading.Source.WEB,
        user=user,
        ip_address=READING_IP,
    )
    ReminderPreference.objects.update_or_create(user=user, defaults={"reminders": False})
    ReminderSent.objects.create(user=user, period=datetime.date(2026, 1 + i % 12, 1))
    Charge.objects.create(
        account=account,
        period="2026-11-01",
        opening_balance=0,
        charged="1234.56",
        closing_balance="1234.56",
        amount_due="1234.56",
        due_date="2026-12-10",
        digest="0" * 32,
    )
    Payment.objects.create(
        account=account,
        external_id=f"П-{account.number}",
        paid_on="2026-11-05",
        amount="1000.00",
        channel=Payment.Channel.ONLINE,
        period="2026-10-01",
    )
    ElectronicReceiptChoice.objects.create(account=account, user=user, electronic=True)
    ReceiptLetter.objects.get_or_create(
        user=user, period=datetime.date(2026, 11, 1), defaults={"sent_at": timezone.now()}
    )
    request, _created = request_services.service_request_file(
        user=user,
        kind=RequestKind.objects.get(code="zamena-schetchika"),
        submission_key=uuid.uuid4(),
        fields={"meter": meter, "contact_phone": user.phone, "text": "Счётчик не крутится."},
        files=[file_check(upload(f"{user.last_name}-счётчик.jpg", jpeg_bytes()))],
    )
    request = request_services.service_request_add(
        request=request, by=user, comment=f"Звоните {user.phone}, {user.first_name}."
    )
    request_services.service_request_answer(
        request=request, by=specialist, answer_text=f"{user.first_name}, счётчик заменён."
    )
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session.create()
    SignedInSession.objects.create(
        session=Session.objects.get(pk=session.session_key),
        user=user,
        user_agent=BROWSER,
        masked_ip=SESSION_IP,
    )
    if i == 0:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        TOTPDevice.objects.create(user=user, name="Приложение-аутентификатор")
        second_factor.recovery_codes_renew(user=user)


@pytest.fixture
def pd_officer(django_user_model):
    """A member of staff allowed to work PD requests, and nothing else."""
    from django.contrib.auth.models import Permission

    officer = django_user_model.objects.create_user(
        "officer@ivsbyt.ru", "пароль-сотрудника-2026", last_name="Сотрудникова", is_staff=True
    )
    officer.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="pdrequests",
            codename__in=["view_subjectrequest", "change_subjectrequest"],
        )
    )
    return django_user_model.objects.get(pk=officer.pk)  # permissions are cached per instance


@pytest.fixture
def act(pd_officer):
    """Take an action on a request as the PD officer (or as `actor`), with a comment."""
    from pdrequests.workflow import subject_request_transition

    def take(request, action, *, actor=None, comment: str = "Проверено.", **data):
        return subject_request_transition(
            request=request, action=action, actor=actor or pd_officer, comment=comment, **data
        )

    return take


@pytest.fixture
def frozen_now(monkeypatch):
    """Make `timezone.now()` return a fixed Moscow moment (the services read it to stamp)."""

    def freeze(*args: int) -> datetime.datetime:
        moment = datetime.datetime(*args, tzinfo=MOSCOW)
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    return freeze


@pytest.fixture
def other_apps(settings, tmp_path):
    """`history_in_other_apps`, with attachments stored in the test's own directory and room for
    many requests a day."""
    settings.PRIVATE_FILES_ROOT = tmp_path / "private-files"
    settings.SERVICE_REQUESTS_PER_DAY = 100
    return history_in_other_apps


@pytest.fixture
def alices_history(
    alice,
    give,
    act,
    file_request,
    publish_policy,
    admin_user,
    other_apps,
    django_capture_on_commit_callbacks,
):
    """Two years of Alice on the portal, data in every category of the registry: consents (one
    via her representative), a policy read, a linked account, link attempts, a dispute, page
    views, a corrected surname, a login record, a message answered and rated, one sent as a
    guest, a mailing, a session, a failed letter task, a look by staff, an incident that listed
    and notified her; and in the apps around her account (`history_in_other_apps`)."""
    import uuid

    from axes.models import AccessLog
    from django.contrib.sessions.backends.db import SessionStore
    from django_tasks_db.models import DBTaskResult

    from billing.models import AccountLink, LinkAttempt, LinkDispute, PersonalAccount
    from consents.services import Representative
    from feedback import services as feedback_services
    from feedback.models import FeedbackMessage
    from incidents import services as incident_services
    from incidents.models import DataCategory, Incident, IncidentNotification
    from mailings.models import Mailing, MailingDelivery
    from pdrequests.models import Action, SubjectRequest
    from staff.models import PersonalDataAccess
    from visits.models import Visit

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
    from accounts.services import email_change_request

    with django_capture_on_commit_callbacks(execute=True):
        email_change_request(user=alice, new_email=NEW_ADDRESS)
    PersonalDataAccess.objects.create(
        staff_user=admin_user,
        subject=alice,
        action=PersonalDataAccess.Action.VIEWED,
        page="/admin/accounts/user/",
        object_label=f"субъект-{alice.pk}",
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
    other_apps(alice, account, specialist=admin_user)
    alice.refresh_from_db()
    return alice
