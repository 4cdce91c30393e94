"""The admin pages of consent records, billing, feedback, incidents and mailings follow the
user admin's rule: lists show masks to everyone, a record's page shows a consumer's data only
to staff with the PD right and records the look, and the auditor reads without changing."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from billing.models import AccountLink, LinkAttempt, LinkDispute, PersonalAccount
from consents.models import ConsentRecord
from consents.services import consent_give, policy_acknowledge
from feedback import services as feedback_services
from feedback.models import FeedbackMessage
from incidents.models import DataCategory, Incident, IncidentNotification
from mailings.models import Mailing, MailingDelivery
from privacy.models import PolicyVersion
from staff.models import PersonalDataAccess
from tests.staff.conftest import _staff_member

pytestmark = pytest.mark.django_db

IP = "203.0.113.77"
ADDRESS = "г. Иваново, ул. Ленина, д. 5, кв. 12"
# What must not reach the page of staff without the PD right.
ALICE_DATA = ("alice@example.ru", "Иванова", "Алиса", "+79161234567", IP, "ул. Ленина")

ADMINS = {
    "consents.consentrecord": "consent_record",
    "consents.policyacknowledgement": "acknowledgement",
    "billing.personalaccount": "account",
    "billing.accountlink": "link",
    "billing.linkattempt": "attempt",
    "billing.linkdispute": "dispute",
    "feedback.feedbackmessage": "message",
    "feedback.specialistrating": "rating",
    "incidents.incident": "incident",
    "incidents.incidentnotification": "notification",
    "mailings.mailingdelivery": "delivery",
}
# Records about one consumer: their page is recorded in the access log.
ABOUT_ALICE = [model for model in ADMINS if model != "billing.personalaccount"]


def _view_permissions():
    return Permission.objects.filter(
        content_type__app_label__in=["consents", "billing", "feedback", "incidents", "mailings"],
        codename__in=[f"view_{model.split('.')[1]}" for model in ADMINS],
    )


@pytest.fixture
def viewer(django_user_model):
    """Staff who may open every one of those admins, without the PD right."""
    user = _staff_member(django_user_model, "viewer@ivsbyt.ru")
    user.user_permissions.add(*_view_permissions())
    return django_user_model.objects.get(pk=user.pk)


@pytest.fixture
def pd_viewer(django_user_model):
    """The same staff member with the PD right."""
    user = _staff_member(django_user_model, "pdviewer@ivsbyt.ru")
    user.user_permissions.add(
        *_view_permissions(),
        Permission.objects.get(content_type__app_label="staff", codename="view_personal_data"),
    )
    return django_user_model.objects.get(pk=user.pk)


@pytest.fixture
def records(alice, admin_user) -> dict:
    """One record of each kind about Alice, holding her name, address, phone and IP."""
    policy = PolicyVersion.objects.create(
        label="9.0",
        title="Политика конфиденциальности, редакция 9.0",
        body="# Политика",
        effective_date=timezone.localdate(),
        status=PolicyVersion.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    account = PersonalAccount.objects.create(
        number="1000000077", address=ADDRESS, holder_name="Иванова Алиса Петровна"
    )
    message = feedback_services.feedback_message_create(
        kind=FeedbackMessage.Kind.QUESTION,
        subject="Вопрос о начислениях",
        text="Пишет Иванова Алиса, телефон +79161234567.",
        user=alice,
    )
    feedback_services.feedback_messages_assign(
        messages=FeedbackMessage.objects.filter(pk=message.pk), assignee=admin_user
    )
    answered = feedback_services.feedback_message_answer(
        message=FeedbackMessage.objects.get(pk=message.pk), answer_text="Ответ.", by=admin_user
    )
    incident = Incident.objects.create(
        title="Выгрузка адресов с тестового сервера",
        kind=Incident.Kind.DISCLOSURE,
        description="Тестовый сервер был доступен из интернета.",
        detected_at=timezone.now(),
        data_categories=[DataCategory.EMAIL],
        subjects=Incident.Subjects.LIST,
        subject_list="alice@example.ru",
        created_by=admin_user,
    )
    mailing = Mailing.objects.create(subject="Новости", body="Текст", created_by=admin_user)
    return {
        "consent_record": consent_give(
            user=alice,
            purpose_code="account",
            source=ConsentRecord.Source.PROFILE,
            ip_address=IP,
            user_agent="Firefox",
        ),
        "acknowledgement": policy_acknowledge(
            user=alice, policy_version=policy, ip_address=IP, user_agent="Firefox"
        ),
        "account": account,
        "link": AccountLink.objects.create(
            user=alice, account=account, factor=AccountLink.Factor.SURNAME
        ),
        "attempt": LinkAttempt.objects.create(
            user=alice,
            ip_address=IP,
            account=account,
            number_masked="100*****77",
            number_digest="0" * 64,
            factor=AccountLink.Factor.SURNAME,
            outcome=LinkAttempt.Outcome.LINKED,
        ),
        "dispute": LinkDispute.objects.create(
            user=alice, account=account, comment="Иванова: этот счёт мой"
        ),
        "message": message,
        "rating": feedback_services.specialist_rating_create(
            author=alice,
            work=feedback_services.RatedWork.of(answered),
            score=5,
            comment="Спасибо, Иванова Алиса",
        ),
        "incident": incident,
        "notification": IncidentNotification.objects.create(incident=incident, user=alice),
        "delivery": MailingDelivery.objects.create(mailing=mailing, user=alice),
    }


def changelist(model: str) -> str:
    return reverse(f"admin:{model.replace('.', '_')}_changelist")


def change_page(model: str, record) -> str:
    return reverse(f"admin:{model.replace('.', '_')}_change", args=[record.pk])


def assert_no_personal_data(page: str) -> None:
    assert [value for value in ALICE_DATA if value in page] == []


@pytest.mark.parametrize("model", ADMINS)
def test_a_list_shows_masks_only_to_staff_without_the_pd_right(as_staff, viewer, records, model):
    response = as_staff(viewer).get(changelist(model))

    assert response.status_code == 200
    assert_no_personal_data(response.content.decode())


# The link attempt audit shows the IP in full to those allowed: spotting guessing from one
# network is its point (`billing.admin.LinkAttemptAdmin`); it names no one.
@pytest.mark.parametrize("model", [model for model in ADMINS if model != "billing.linkattempt"])
def test_a_list_shows_masks_only_even_to_staff_with_the_pd_right(
    as_staff, pd_viewer, records, model
):
    assert_no_personal_data(as_staff(pd_viewer).get(changelist(model)).content.decode())


@pytest.mark.parametrize("model", ADMINS)
def test_a_records_page_shows_masks_to_staff_without_the_pd_right_and_is_not_recorded(
    as_staff, viewer, records, model
):
    response = as_staff(viewer).get(change_page(model, records[ADMINS[model]]))

    assert response.status_code == 200
    assert_no_personal_data(response.content.decode())
    assert not PersonalDataAccess.objects.exists()


@pytest.mark.parametrize("model", ABOUT_ALICE)
def test_a_records_page_shows_the_data_to_staff_with_the_pd_right_and_records_the_look(
    as_staff, pd_viewer, alice, records, model
):
    response = as_staff(pd_viewer).get(change_page(model, records[ADMINS[model]]))

    page = response.content.decode()
    assert any(value in page for value in ("alice@example.ru", "Иванова", IP))
    assert PersonalDataAccess.objects.filter(
        staff_user=pd_viewer, subject=alice, action=PersonalDataAccess.Action.VIEWED
    ).exists()


def test_the_registry_shows_the_holder_to_staff_with_the_pd_right(as_staff, pd_viewer, records):
    page = as_staff(pd_viewer).get(change_page("billing.personalaccount", records["account"]))

    assert ADDRESS in page.content.decode()
    assert "Иванова Алиса Петровна" in page.content.decode()


def test_searching_by_an_address_finds_nothing_without_the_pd_right(as_staff, viewer, records):
    response = as_staff(viewer).get(
        changelist("feedback.feedbackmessage"), {"q": "alice@example.ru"}
    )

    assert list(response.context["cl"].result_list) == []


@pytest.mark.parametrize("model", ["consents.consentrecord", "mailings.mailingdelivery"])
def test_search_by_personal_data_is_not_offered_without_the_pd_right(
    as_staff, viewer, pd_viewer, records, model
):
    assert 'name="q"' not in as_staff(viewer).get(changelist(model)).content.decode()
    assert 'name="q"' in as_staff(pd_viewer).get(changelist(model)).content.decode()


@pytest.mark.parametrize(
    "model", ["feedback.feedbackmessage", "incidents.incident", "incidents.incidentnotification"]
)
def test_the_auditor_reads_but_does_not_change(as_staff, auditor, records, model):
    client = as_staff(auditor)
    record = records[ADMINS[model]]

    page = client.get(change_page(model, record))
    refused = client.post(change_page(model, record), {"answer_text": "Ответ аудитора."})

    assert page.status_code == 200
    assert_no_personal_data(page.content.decode())
    assert refused.status_code == 403


def test_the_pd_officer_reads_a_message_with_its_author(as_staff, pd_officer, records):
    page = as_staff(pd_officer).get(change_page("feedback.feedbackmessage", records["message"]))

    assert "Пишет Иванова Алиса" in page.content.decode()
    assert PersonalDataAccess.objects.filter(staff_user=pd_officer).count() == 1
