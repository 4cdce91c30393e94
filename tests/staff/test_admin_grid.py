"""Every admin view, found from the admin registry and each admin's URLs, as staff with every
right but the PD right: no page names the person, whatever view a new admin adds.

A person with distinctive data (and markup in it) has a record in every registered model; each
view of each admin is opened about that record. A view whose URL needs something this grid does
not know fails the test until it is declared in `URL_ARGUMENTS`, so nobody has to remember it.
"""

import datetime
import io
import uuid
from decimal import Decimal

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.db import models
from django.urls import URLPattern, reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from accounts.models import Authenticator
from billing.models import (
    AccountLink,
    LinkAttempt,
    LinkDispute,
    PersonalAccount,
    RegistryUpload,
)
from bills.models import (
    BillsImport,
    Charge,
    ChargeLine,
    ElectronicReceiptChoice,
    Payment,
    ReceiptLetter,
)
from cases.models import CaseEvent
from consents.models import ConsentPurpose, ConsentRecord, ConsentText
from consents.services import consent_give, policy_acknowledge
from feedback import services as feedback_services
from feedback.models import FeedbackMessage, Specialist, SpecialistRating
from incidents.models import DataCategory, Incident, IncidentNotification
from lkk.models import NotificationFiling, RetentionRecord
from lkk.pd_notification import notification_filing_record
from mailings.models import Mailing, MailingDelivery
from meters.models import ExportBatch, Meter, MonthlyVolume, Reading, ReadingOutcome, Tariff
from pdrequests.models import Action, RequestsDashboard, SubjectRequest
from privacy.models import PolicyVersion
from servicerequests import services as servicerequest_services
from servicerequests.files import CheckedFile
from servicerequests.models import Attachment, RequestKind, ServiceRequest
from staff.models import PersonalDataAccess
from staff.personal_data import DeclaredLookupsAdminMixin
from staff.services import pd_access_log
from tests.staff.conftest import _staff_member
from visits.models import Visit
from workcalendar.models import CalendarOverride

pytestmark = pytest.mark.django_db

EMAIL = "zulfiya.unikalnaya@example.ru"
IP = "198.51.100.201"
ADDRESS = "г. Шуя, ул. Квазимодо, д. 7"
# Markup in every field a person fills in: it must show as text wherever their data shows.
MARKUP = "<i>z</i>"
LAST_NAME = f"Переверзева{MARKUP}"
FIRST_NAME = "Зульфия"
PATRONYMIC = "Кузьминична"
PHONE = "+79990001122"
# What must never reach a page of staff without the PD right.
PERSONAL_DATA = (
    "zulfiya.unikalnaya",
    "Переверзева",
    "Зульфия",
    "Кузьминична",
    "9990001122",
    "000-11-22",
    IP,
    "Квазимодо",
)

# Values for the URL parts other than the record's number, per URL name.
URL_ARGUMENTS = {
    "pdrequests_subjectrequest_transition": {"action": lambda everything: Action.TAKE_INTO_WORK},
    "billing_personalaccount_import_status": {
        "upload_id": lambda everything: everything[RegistryUpload].pk
    },
}
OBJECT_ARGUMENTS = ("object_id", "pk", "act_id", "id")


@pytest.fixture
def zulfiya(django_user_model):
    return django_user_model.objects.create_user(
        EMAIL,
        "Пароль-Зульфии-2026",
        last_name=LAST_NAME,
        first_name=FIRST_NAME,
        patronymic=PATRONYMIC,
        phone=PHONE,
    )


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    """The attachments of this test's requests are stored apart."""
    settings.PRIVATE_FILES_ROOT = tmp_path / "private-files"


@pytest.fixture
def everything(zulfiya, bob, admin_user, pd_officer, file_request, act) -> dict:
    """One record about Zulfiya in every registered model (or the model's own row)."""
    policy = PolicyVersion.objects.create(
        label="9.1",
        title="Политика, редакция 9.1",
        body="# Политика",
        effective_date=timezone.localdate(),
        status=PolicyVersion.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    account = PersonalAccount.objects.create(
        number="1000000091", address=ADDRESS, holder_name=f"{LAST_NAME} {FIRST_NAME} {PATRONYMIC}"
    )
    message = feedback_services.feedback_message_create(
        kind=FeedbackMessage.Kind.QUESTION,
        subject=f"Вопрос от {LAST_NAME}",
        text=f"Пишет {LAST_NAME} {FIRST_NAME}, телефон {PHONE}.",
        user=zulfiya,
    )
    feedback_services.feedback_messages_assign(
        messages=FeedbackMessage.objects.filter(pk=message.pk), assignee=admin_user
    )
    answered = feedback_services.feedback_message_answer(
        message=FeedbackMessage.objects.get(pk=message.pk), answer_text="Ответ.", by=admin_user
    )
    incident = Incident.objects.create(
        title="Выгрузка адресов",
        kind=Incident.Kind.DISCLOSURE,
        description="Сервер был доступен из интернета.",
        detected_at=timezone.now(),
        data_categories=[DataCategory.EMAIL],
        subjects=Incident.Subjects.LIST,
        subject_list=EMAIL,
        created_by=admin_user,
    )
    mailing = Mailing.objects.create(subject="Новости", body="Текст", created_by=admin_user)
    subject_request = file_request(
        zulfiya,
        SubjectRequest.Kind.CORRECTION,
        details=f"Исправьте фамилию {LAST_NAME}.",
        corrections={"last_name": "Переверзева-Новая"},
    )
    destroyed = act(file_request(bob, SubjectRequest.Kind.WITHDRAWAL), Action.TAKE_INTO_WORK)
    destroyed = act(destroyed, Action.DESTROY, comment="Согласие отозвано.")
    pd_access_log(
        staff_user=pd_officer,
        subject_ids=[zulfiya.pk],
        action=PersonalDataAccess.Action.VIEWED,
        page="/admin/accounts/user/",
        object_label="учётная запись",
    )
    attempt_data = {"username": EMAIL, "ip_address": IP, "user_agent": "Firefox"}
    return {
        ConsentRecord: consent_give(
            user=zulfiya,
            purpose_code="account",
            source=ConsentRecord.Source.PROFILE,
            ip_address=IP,
            user_agent="Firefox",
        ),
        PolicyVersion: policy,
        Mailing: mailing,
        MailingDelivery: MailingDelivery.objects.create(mailing=mailing, user=zulfiya),
        Incident: incident,
        IncidentNotification: IncidentNotification.objects.create(incident=incident, user=zulfiya),
        PersonalAccount: account,
        AccountLink: AccountLink.objects.create(
            user=zulfiya, account=account, factor=AccountLink.Factor.SURNAME
        ),
        LinkAttempt: LinkAttempt.objects.create(
            user=zulfiya,
            ip_address=IP,
            account=account,
            number_masked="100*****91",
            number_digest="0" * 64,
            factor=AccountLink.Factor.SURNAME,
            outcome=LinkAttempt.Outcome.LINKED,
        ),
        LinkDispute: LinkDispute.objects.create(
            user=zulfiya, account=account, comment=f"{LAST_NAME}: этот счёт мой"
        ),
        FeedbackMessage: message,
        SpecialistRating: feedback_services.specialist_rating_create(
            author=zulfiya,
            work=feedback_services.RatedWork.of(answered),
            score=5,
            comment=f"Спасибо, {FIRST_NAME}",
        ),
        Specialist: Specialist.objects.get(pk=admin_user.pk),
        SubjectRequest: subject_request,
        RequestsDashboard: RequestsDashboard.objects.get(pk=subject_request.pk),
        type(destroyed.destruction_act): destroyed.destruction_act,
        PersonalDataAccess: PersonalDataAccess.objects.get(subject=zulfiya),
        Visit: Visit.objects.create(
            time=timezone.now(), ip=IP, user=zulfiya, path="/", status=200, duration_ms=5
        ),
        CalendarOverride: CalendarOverride.objects.create(
            date=datetime.date(2031, 3, 8), is_working_day=True, reason="Постановление"
        ),
        ConsentPurpose: ConsentPurpose.objects.get(code="account"),
        ConsentText: ConsentText.objects.filter(purpose__code="account").first(),
        type(zulfiya): zulfiya,
        Group: Group.objects.first(),
        AccessAttempt: AccessAttempt.objects.create(
            **attempt_data, failures_since_start=1, get_data="", post_data=""
        ),
        AccessLog: AccessLog.objects.create(**attempt_data),
        AccessFailureLog: AccessFailureLog.objects.create(**attempt_data),
        RegistryUpload: RegistryUpload.objects.create(
            uploaded_by=admin_user,
            file_name="registry.csv",
            content=b"",
            status=RegistryUpload.Status.DONE,
            summary={"rows": 1, "created": 0, "updated": 0, "unchanged": 0, "closed": 0},
            rejections=[{"row": 2, "column": "ФИО", "value": LAST_NAME, "reason": "Ошибка."}],
        ),
        DBTaskResult: None,  # no task has run: its views are opened without a record
        "policy_acknowledgement": policy_acknowledge(
            user=zulfiya, policy_version=policy, ip_address=IP, user_agent="Firefox"
        ),
        **_meters_and_bills(zulfiya, account, admin_user),
        **_service_requests(zulfiya, account, admin_user),
        Authenticator: Authenticator.objects.create(
            user=zulfiya, name=f"Телефон {FIRST_NAME}", confirmed=True
        ),
        NotificationFiling: notification_filing_record(
            filed_on=timezone.localdate(), reference="12-3456", recorded_by=admin_user
        ),
        RetentionRecord: RetentionRecord.objects.create(
            category="meters.readings",
            category_title="Переданные показания",
            retention="3 года",
            action="удалены",
            count=1,
        ),
    }


def _meters_and_bills(zulfiya, account: PersonalAccount, admin_user) -> dict:
    """Her meter, a reading from her address with what billing did with it, her months."""
    meter = Meter.objects.create(account=account, serial_number="77012345", zones=1)
    batch = ExportBatch.objects.create(created_by=admin_user, readings=1)
    reading = Reading.objects.create(
        number="ПК-2026-000091",
        meter=meter,
        period=datetime.date(2026, 11, 1),
        value_t1=Decimal("12345.0"),
        source=Reading.Source.WEB,
        user=zulfiya,
        ip_address=IP,
        export_batch=batch,
    )
    charge = Charge.objects.create(
        account=account,
        period=datetime.date(2026, 11, 1),
        opening_balance=Decimal(0),
        charged=Decimal("934.00"),
        closing_balance=Decimal("934.00"),
        amount_due=Decimal("934.00"),
        due_date=datetime.date(2026, 12, 15),
        digest="grid",
    )
    line = ChargeLine.objects.create(
        charge=charge,
        position=1,
        service="Электроэнергия",
        volume=Decimal(100),
        source="readings",
        tariff=Decimal("9.34"),
        amount=Decimal("934.00"),
        reading_start=Decimal("12245.0"),
        reading_end=Decimal("12345.0"),
    )
    return {
        Meter: meter,
        ExportBatch: batch,
        Reading: reading,
        ReadingOutcome: ReadingOutcome.objects.create(
            reading=reading, accepted=True, billed_month=datetime.date(2026, 11, 1)
        ),
        MonthlyVolume: MonthlyVolume.objects.create(
            meter=meter, month=datetime.date(2026, 11, 1), source="consumer", volume_t1=100
        ),
        Tariff: Tariff.objects.create(
            category="urban", zones=1, zone=1, price=Decimal("9.34"), valid_from=charge.period
        ),
        Charge: charge,
        ChargeLine: line,
        Payment: Payment.objects.create(
            account=account,
            external_id="P-91",
            paid_on=datetime.date(2026, 11, 20),
            amount=Decimal("934.00"),
            channel=Payment.Channel.BANK,
            period=charge.period,
        ),
        ElectronicReceiptChoice: ElectronicReceiptChoice.objects.create(
            account=account, user=zulfiya, electronic=True
        ),
        ReceiptLetter: ReceiptLetter.objects.create(user=zulfiya, period=charge.period),
        BillsImport: BillsImport.objects.create(
            kind=BillsImport.Kind.CHARGES,
            file_name="nachisleniya-2026-11.csv",
            status=BillsImport.Status.FAILED,
            message="Строка 2: неизвестный лицевой счёт.",
        ),
    }


def _service_requests(zulfiya, account: PersonalAccount, admin_user) -> dict:
    """A request of each shape (a meter job, a recalculation, a claim with her name and address),
    with her file and a step of its history with her words in the comment."""

    def filed(code: str, **fields) -> ServiceRequest:
        request, _created = servicerequest_services.service_request_file(
            user=zulfiya,
            kind=RequestKind.objects.get(code=code),
            submission_key=uuid.uuid4(),
            fields=fields,
            files=[CheckedFile(f"{LAST_NAME}-акт.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")],
        )
        return request

    today = timezone.localdate()
    meter_job = filed(
        "zamena-schetchika",
        meter=Meter.objects.get(account=account),
        visit_from=today + datetime.timedelta(days=2),
        visit_to=today + datetime.timedelta(days=9),
        contact_phone=PHONE,
        text=f"Звоните {FIRST_NAME} {PATRONYMIC}: {PHONE}.",
    )
    recalculation = filed(
        "pereraschet",
        account=account,
        months=[datetime.date(2026, 10, 1)],
        text=f"Пересчитайте, пожалуйста. {LAST_NAME}",
    )
    claim = filed(
        "kachestvo-elektrosnabzheniya",
        account=account,
        claimant_name=f"{LAST_NAME} {FIRST_NAME} {PATRONYMIC}",
        address=ADDRESS,
        violation_started_at=timezone.now() - datetime.timedelta(hours=5),
        text=f"Напряжение 170 В. {LAST_NAME}, {EMAIL}",
    )
    servicerequest_services.service_request_add(
        request=claim, by=zulfiya, comment=f"Дополняю: {FIRST_NAME}, тел. {PHONE}, {EMAIL}"
    )
    return {
        ServiceRequest: claim,
        "service_requests": (meter_job, recalculation, claim),
        RequestKind: claim.kind,
        Attachment: claim.attachments.get(),
        CaseEvent: CaseEvent.objects.of(claim).last(),
    }


def _record(everything: dict, model: type[models.Model]):
    if model._meta.label == "consents.PolicyAcknowledgement":
        return everything["policy_acknowledgement"]
    assert model in everything, f"{model._meta.label}: add a record about the person to the grid"
    return everything[model]


def admin_views() -> list[tuple[type[models.Model], URLPattern]]:
    """Every named view of every registered admin."""
    return [
        (model, pattern)
        for model, model_admin in admin.site._registry.items()
        for pattern in model_admin.get_urls()
        if isinstance(pattern, URLPattern) and pattern.name
    ]


def view_url(pattern: URLPattern, record, everything: dict) -> str | None:
    """The view's URL about the record; None for a view about a record there is none of."""
    arguments = {}
    for name in pattern.pattern.converters:
        if name in OBJECT_ARGUMENTS:
            if record is None:
                return None
            arguments[name] = record.pk
        else:
            declared = URL_ARGUMENTS.get(pattern.name or "", {})
            assert name in declared, f"{pattern.name}: declare «{name}» in URL_ARGUMENTS"
            arguments[name] = declared[name](everything)
    return reverse(f"admin:{pattern.name}", kwargs=arguments)


@pytest.fixture
def clerk_with_every_right(django_user_model):
    """Staff with every permission there is, except the PD right."""
    user = _staff_member(django_user_model, "everyright@ivsbyt.ru", last_name="Всеправова")
    user.user_permissions.add(*Permission.objects.exclude(codename="view_personal_data"))
    return django_user_model.objects.get(pk=user.pk)


def _text_of(response) -> str:
    """What the person reads: the page, or the text of a PDF (a destruction act)."""
    if response.get("Content-Type", "").startswith("application/pdf"):
        pages = PdfReader(io.BytesIO(response.content)).pages
        return " ".join(page.extract_text() for page in pages)
    return response.content.decode()


def _views() -> list:
    return [
        pytest.param(model, pattern, id=f"{model._meta.label}:{pattern.name}")
        for model, pattern in admin_views()
    ]


@pytest.mark.parametrize(("model", "pattern"), _views())
def test_no_admin_view_names_the_person_to_staff_without_the_pd_right(
    as_staff, clerk_with_every_right, everything, model, pattern
):
    url = view_url(pattern, _record(everything, model), everything)
    if url is None:
        return

    response = as_staff(clerk_with_every_right).get(url)

    assert response.status_code in (200, 302, 403), url
    page = _text_of(response)
    assert [value for value in PERSONAL_DATA if value in page] == [], url


@pytest.mark.parametrize(("model", "pattern"), _views())
def test_markup_in_a_persons_data_shows_as_text_on_every_admin_view(
    as_staff, admin_user, everything, model, pattern
):
    url = view_url(pattern, _record(everything, model), everything)
    if url is None:
        return

    response = as_staff(admin_user).get(url)

    assert response.status_code in (200, 302, 403), url
    if response.status_code == 200 and not response["Content-Type"].startswith("text/html"):
        # A file to save (a receipt's PDF, an export's CSV) is no page a browser renders.
        assert response["Content-Disposition"].startswith("attachment;"), url
        return
    assert MARKUP not in response.content.decode(), url


@pytest.mark.parametrize("view", ["change", "history", "delete"])
def test_every_shape_of_service_request_is_masked_on_its_pages(
    as_staff, clerk_with_every_right, admin_user, everything, view
):
    """The grid opens one request; a kind shows its own fields (a meter job its visit, a claim
    the claimant's name and address), so each shape is opened too."""
    for request in everything["service_requests"]:
        url = reverse(f"admin:servicerequests_servicerequest_{view}", args=[request.pk])

        masked = as_staff(clerk_with_every_right).get(url)
        shown = as_staff(admin_user).get(url)

        assert masked.status_code in (200, 302, 403), url
        assert [value for value in PERSONAL_DATA if value in masked.content.decode()] == [], url
        assert MARKUP not in shown.content.decode(), url


def test_every_registered_admin_accepts_only_declared_filters():
    assert [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if not isinstance(model_admin, DeclaredLookupsAdminMixin)
    ] == []


# django-axes names an attempt by the address typed: its admin is closed to staff without the
# PD right (`staff.admin.third_party`), and nothing of ours prints it.
LIBRARY_MODELS = (AccessAttempt, AccessLog, AccessFailureLog)


def test_no_model_of_ours_names_the_person_in_its_str(everything):
    records = [
        record
        for value in everything.values()
        for record in (value if isinstance(value, tuple) else (value,))
    ]
    for record in records:
        if record is not None and not isinstance(record, LIBRARY_MODELS):
            assert [value for value in PERSONAL_DATA if value in str(record)] == [], repr(record)
