"""The register in the admin: what the form refuses, and the notify action with its confirmation."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from incidents.models import Incident

pytestmark = pytest.mark.django_db

ADD = reverse("admin:incidents_incident_add")
CHANGELIST = reverse("admin:incidents_incident_changelist")


def moment(value: datetime.datetime, field: str) -> dict:
    """A date and time as the admin's split widget posts them (Moscow time)."""
    local = timezone.localtime(value)
    return {f"{field}_0": local.strftime("%d.%m.%Y"), f"{field}_1": local.strftime("%H:%M:%S")}


def form_data(**overrides) -> dict:
    data = {
        "title": "Письма ушли не тем адресатам",
        "kind": Incident.Kind.DISCLOSURE,
        "description": "Ошибка в рассылке квитанций.",
        **moment(timezone.now() - datetime.timedelta(hours=2), "detected_at"),
        "data_categories": ["full_name", "account"],
        "subjects": Incident.Subjects.ALL,
        "notice_text": "Квитанция с вашими данными была отправлена другому потребителю.",
    }
    return data | overrides


def errors_of(response) -> str:
    return str(response.context["adminform"].form.errors)


@pytest.fixture
def staff(client, admin_user):
    client.force_login(admin_user)
    return client


def test_staff_register_an_incident(staff, admin_user):
    response = staff.post(ADD, form_data())

    assert response.status_code == 302
    incident = Incident.objects.get()
    assert incident.data_categories == ["full_name", "account"]
    assert incident.created_by == admin_user


def test_a_list_with_unknown_people_is_refused_naming_them(staff, alice):
    response = staff.post(
        ADD,
        form_data(
            subjects=Incident.Subjects.LIST,
            subject_list="alice@example.ru\nnobody@example.ru, 999999, не-адрес",
        ),
    )

    assert "Не похоже ни на адрес, ни на номер пользователя: не-адрес." in errors_of(response)

    response = staff.post(
        ADD,
        form_data(
            subjects=Incident.Subjects.LIST,
            subject_list="alice@example.ru nobody@example.ru 999999",
        ),
    )

    assert "Таких пользователей нет: 999999, nobody@example.ru." in errors_of(response)
    assert not Incident.objects.exists()


def test_a_login_period_needs_both_ends_in_order(staff):
    start = timezone.now() - datetime.timedelta(days=2)

    response = staff.post(
        ADD, form_data(subjects=Incident.Subjects.LOGGED_IN, **moment(start, "logged_in_from"))
    )
    assert "Укажите начало и конец периода." in errors_of(response)

    response = staff.post(
        ADD,
        form_data(
            subjects=Incident.Subjects.LOGGED_IN,
            **moment(start, "logged_in_until"),
            **moment(start + datetime.timedelta(hours=1), "logged_in_from"),
        ),
    )
    assert "Конец периода раньше его начала." in errors_of(response)
    assert not Incident.objects.exists()


def test_moments_in_the_future_or_before_detection_are_refused(staff):
    now = timezone.now()

    response = staff.post(
        ADD,
        form_data(
            **moment(now + datetime.timedelta(days=1), "detected_at"),
        ),
    )
    assert "Это время ещё не наступило." in errors_of(response)

    response = staff.post(
        ADD, form_data(**moment(now - datetime.timedelta(days=3), "authority_notified_at"))
    )
    assert "Уведомление не может быть раньше выявления инцидента." in errors_of(response)


def test_notifying_asks_first_then_notifies(
    staff, make_incident, alice, bob, mailoutbox, django_capture_on_commit_callbacks
):
    incident = make_incident()
    selection = {"action": "notify_subjects", "_selected_action": [incident.pk]}

    page = staff.post(CHANGELIST, selection)

    assert page.status_code == 200
    assert "<td>2</td>" in page.content.decode()  # affected consumers
    assert mailoutbox == []

    with django_capture_on_commit_callbacks(execute=True):
        staff.post(CHANGELIST, selection | {"confirmed": "yes"})

    assert len(mailoutbox) == 2
    assert "2 из 2" in staff.get(CHANGELIST).content.decode()


def test_whom_to_notify_is_fixed_once_notices_went_out(
    staff, make_incident, alice, django_capture_on_commit_callbacks
):
    incident = make_incident()
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(
            CHANGELIST,
            {"action": "notify_subjects", "_selected_action": [incident.pk], "confirmed": "yes"},
        )

    staff.post(
        reverse("admin:incidents_incident_change", args=[incident.pk]),
        form_data(subjects=Incident.Subjects.LIST, subject_list="alice@example.ru"),
    )

    incident.refresh_from_db()
    assert incident.subjects == Incident.Subjects.ALL


def test_staff_without_the_notify_permission_cannot_notify(
    client, django_user_model, make_incident, alice, mailoutbox
):
    officer = django_user_model.objects.create_user("officer@ivsbyt.ru", "x", is_staff=True)
    officer.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_incident", "change_incident"])
    )
    incident = make_incident()
    client.force_login(officer)

    assert "notify_subjects" not in client.get(CHANGELIST).content.decode()
    client.post(
        CHANGELIST,
        {"action": "notify_subjects", "_selected_action": [incident.pk], "confirmed": "yes"},
    )

    assert not incident.notifications.exists()
    assert mailoutbox == []


def test_the_register_cannot_be_deleted_from(staff, make_incident):
    incident = make_incident()

    response = staff.post(
        reverse("admin:incidents_incident_delete", args=[incident.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert Incident.objects.filter(pk=incident.pk).exists()


def test_the_incident_page_shows_both_deadlines_and_the_progress(
    staff, make_incident, alice, bob, django_capture_on_commit_callbacks
):
    incident = make_incident(hours_ago=30)
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(
            CHANGELIST,
            {"action": "notify_subjects", "_selected_action": [incident.pk], "confirmed": "yes"},
        )

    page = staff.get(
        reverse("admin:incidents_incident_change", args=[incident.pk])
    ).content.decode()

    assert "⚠ ПРОСРОЧЕНО" in page  # 24 hours passed, no notice to Roskomnadzor recorded
    assert "срок до" in page  # the 72-hour report
    assert "2 из 2</a>, писем отправлено: 2" in page
