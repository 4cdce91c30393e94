"""The incident clocks alert (152-FZ art. 21 p. 3.1): the PD officers hear of an incident when it
is registered and before the 24-hour and 72-hour terms run out while the notice is not recorded;
the moments the terms count from and end with keep their history; and the notice to
Roskomnadzor is drafted from the register."""

import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import timezone

from incidents import services
from incidents.models import Incident, IncidentClockChange
from staff.roles import PD_OFFICER
from tests.conftest import PASSWORD
from tests.incidents.test_admin import form_data, moment

pytestmark = pytest.mark.django_db


@pytest.fixture
def officers(django_user_model):
    """Two PD officers; a member of staff in no such role; a consumer."""
    group = Group.objects.get(name=PD_OFFICER)
    made = []
    for email in ("officer@ivsbyt.ru", "officer2@ivsbyt.ru"):
        officer = django_user_model.objects.create_user(email, PASSWORD, is_staff=True)
        officer.groups.add(group)
        made.append(officer)
    django_user_model.objects.create_user("clerk@ivsbyt.ru", PASSWORD, is_staff=True)
    return made


def alerted(mailoutbox) -> list[tuple[str, str]]:
    return sorted((letter.to[0], letter.subject.split(" — ")[0]) for letter in mailoutbox)


def remind(now: datetime.datetime | None = None) -> str:
    out = io.StringIO()
    if now is None:
        call_command("remind_incident_deadlines", stdout=out)
    else:
        services.incident_alerts_queue(now=now)
    return out.getvalue()


class TestAlerts:
    def test_registering_an_incident_alerts_every_pd_officer_at_once(
        self, client, admin_user, officers, mailoutbox, django_capture_on_commit_callbacks
    ):
        client.force_login(admin_user)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("admin:incidents_incident_add"), form_data())

        incident = Incident.objects.get()
        assert {to for to, _subject in alerted(mailoutbox)} == {
            "officer@ivsbyt.ru",
            "officer2@ivsbyt.ru",
        }
        letter = mailoutbox[0]
        assert letter.subject.startswith("Инцидент с ПДн внесён в реестр")
        assert reverse("admin:incidents_incident_change", args=[incident.pk]) in letter.body
        assert "в течение 24 часов" in letter.body

    def test_before_the_24_hours_run_out_without_a_notice_the_officers_are_alerted_once(
        self, make_incident, officers, mailoutbox, django_capture_on_commit_callbacks
    ):
        make_incident(hours_ago=20)

        with django_capture_on_commit_callbacks(execute=True):
            remind()
            remind()  # the cron job again: nobody is told twice

        subjects = [subject for _to, subject in alerted(mailoutbox)]
        assert subjects.count("Инцидент с ПДн: до срока уведомления Роскомнадзора менее 6 ч") == 2
        assert len(mailoutbox) == 2

    def test_nothing_is_said_while_the_terms_are_far(
        self, make_incident, officers, mailoutbox, django_capture_on_commit_callbacks
    ):
        make_incident(hours_ago=2)

        with django_capture_on_commit_callbacks(execute=True):
            remind()

        assert mailoutbox == []

    def test_a_recorded_notice_stops_its_alerts(
        self, make_incident, officers, mailoutbox, django_capture_on_commit_callbacks
    ):
        make_incident(hours_ago=23, authority_notified_at=timezone.now())

        with django_capture_on_commit_callbacks(execute=True):
            remind()

        assert not any("Роскомнадзора" in subject for _to, subject in alerted(mailoutbox))

    def test_a_term_run_out_is_reported_and_then_the_72_hour_one_approaches(
        self, make_incident, officers, mailoutbox, django_capture_on_commit_callbacks
    ):
        incident = make_incident(hours_ago=25)
        with django_capture_on_commit_callbacks(execute=True):
            remind()
        assert {subject for _to, subject in alerted(mailoutbox)} == {
            "Инцидент с ПДн: срок уведомления Роскомнадзора (24 ч) истёк"
        }
        mailoutbox.clear()

        with django_capture_on_commit_callbacks(execute=True):
            remind(now=incident.detected_at + datetime.timedelta(hours=61))

        assert {subject for _to, subject in alerted(mailoutbox)} == {
            "Инцидент с ПДн: до срока результатов расследования менее 12 ч"
        }

    def test_an_alert_that_waited_in_the_queue_is_not_sent_once_the_notice_is_recorded(
        self, make_incident, officers, mailoutbox, django_capture_on_commit_callbacks
    ):
        incident = make_incident(hours_ago=20)
        with django_capture_on_commit_callbacks(execute=False) as queued:
            remind()
        Incident.objects.filter(pk=incident.pk).update(authority_notified_at=timezone.now())
        for callback in queued:
            callback()

        assert mailoutbox == []

    def test_the_command_says_how_many_letters_it_queued(self, make_incident, officers):
        make_incident(hours_ago=20)

        assert "2" in remind()


class TestClockHistory:
    def test_every_change_of_the_clocks_is_kept_with_who_and_when(
        self, client, admin_user, django_capture_on_commit_callbacks
    ):
        client.force_login(admin_user)
        detected = timezone.now().replace(microsecond=0) - datetime.timedelta(hours=5)
        client.post(
            reverse("admin:incidents_incident_add"), form_data(**moment(detected, "detected_at"))
        )
        incident = Incident.objects.get()
        earlier = detected - datetime.timedelta(hours=3)
        notified = timezone.now().replace(microsecond=0) - datetime.timedelta(minutes=10)

        client.post(
            reverse("admin:incidents_incident_change", args=[incident.pk]),
            form_data(
                **moment(earlier, "detected_at"), **moment(notified, "authority_notified_at")
            ),
        )

        history = list(
            IncidentClockChange.objects.filter(incident=incident)
            .order_by("pk")
            .values_list("field", "old_value", "new_value", "changed_by")
        )
        assert history == [
            ("detected_at", None, detected, admin_user.pk),
            ("detected_at", detected, earlier, admin_user.pk),
            ("authority_notified_at", None, notified, admin_user.pk),
        ]
        page = client.get(reverse("admin:incidents_incident_change", args=[incident.pk]))
        assert "История сроков" in page.content.decode()

    def test_the_history_cannot_be_changed_or_deleted(self, make_incident, admin_user):
        incident = make_incident()
        incident.authority_notified_at = timezone.now()
        services.incident_save(incident=incident, by=admin_user)
        change = IncidentClockChange.objects.get()

        for statement in (
            lambda: IncidentClockChange.objects.filter(pk=change.pk).update(new_value=None),
            lambda: IncidentClockChange.objects.filter(pk=change.pk).delete(),
        ):
            with pytest.raises(DatabaseError), transaction.atomic():
                statement()


class TestAuthorityNoticeDraft:
    def test_the_incident_page_drafts_the_notice_with_the_fields_roskomnadzor_asks_for(
        self, client, admin_user, make_incident, alice, bob, settings
    ):
        settings.OPERATOR = {**settings.OPERATOR, "inn": "5016000005", "ogrn": "1025002345678"}
        incident = make_incident(
            subjects=Incident.Subjects.LIST,
            subject_list="alice@example.ru",
            causes="Открытый порт тестового сервера.",
            harm="Возможна рассылка писем от имени оператора.",
            measures="Сервер отключён, пароли сброшены.",
            contact_person="Сотрудникова О. И., ответственный за ПДн, +7 495 000-00-00",
        )
        client.force_login(admin_user)

        page = client.get(reverse("admin:incidents_incident_change", args=[incident.pk]))

        text = page.context["adminform"].form.instance and page.content.decode()
        for expected in (
            "Уведомление Роскомнадзора о неправомерной или случайной передаче",
            "5016000005",
            "1025002345678",
            timezone.localtime(incident.detected_at).strftime("%d.%m.%Y %H:%M"),
            "Открытый порт тестового сервера.",
            "Возможна рассылка писем от имени оператора.",
            "Сервер отключён, пароли сброшены.",
            "Сотрудникова О. И., ответственный за ПДн",
            "адрес электронной почты, фамилия, имя, отчество",
            "Количество субъектов: 1",
            "потребители — пользователи личного кабинета",
        ):
            assert expected in text, expected
        assert (
            "alice@example.ru"
            not in text.split("authority-notice-draft")[1].split("</textarea>")[0]
        )

    def test_what_is_not_filled_in_yet_is_said_so(self, client, admin_user, make_incident):
        incident = make_incident()
        client.force_login(admin_user)

        page = client.get(reverse("admin:incidents_incident_change", args=[incident.pk]))

        assert "[не заполнено: предполагаемые причины]" in page.content.decode()
