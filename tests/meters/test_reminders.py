"""`remind_readings`: one reminder per person and period, from the configured day, not to
those who passed their readings, turned reminders off, or whose data is blocked."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from meters import services
from meters.models import ReminderSent
from pdrequests.models import SubjectRequest
from tests.meters.conftest import moscow

pytestmark = pytest.mark.django_db


@pytest.fixture
def remind(django_capture_on_commit_callbacks):
    def run() -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return services.reminders_send()

    return run


def test_a_holder_without_this_periods_reading_is_reminded_once(meter, holding, clock, remind):
    clock(moscow(2026, 12, 21, 9))

    assert remind() == 1
    assert remind() == 0
    call_command("remind_readings", stdout=None)

    [letter] = mail.outbox
    assert letter.to == ["alice@example.ru"]
    assert "декабрь 2026" in letter.body and "до 25 декабря" in letter.body
    assert ReminderSent.objects.count() == 1


def test_nobody_is_reminded_before_the_configured_day(meter, holding, clock, remind, settings):
    settings.METERS_REMINDER_DAY = 22
    clock(moscow(2026, 12, 21, 23, 59))

    assert remind() == 0


def test_who_passed_the_reading_is_not_reminded(meter, holding, clock, remind):
    from decimal import Decimal

    services.reading_submit(meter=meter, user=holding.user, values={1: Decimal(12100), 2: 5050})

    assert remind() == 0


def test_who_turned_reminders_off_in_my_data_is_not_reminded(
    client, alice, meter, holding, clock, remind
):
    client.force_login(alice)
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert "Напоминать по почте о передаче показаний счётчиков" in profile
    assert "checked" in profile.split("Напоминания о показаниях")[1][:800]

    client.post(reverse("meters:reminders"), {})

    assert remind() == 0
    client.post(reverse("meters:reminders"), {"reminders": "on"})
    assert remind() == 1


def test_a_person_whose_data_is_blocked_is_not_reminded(
    meter, holding, clock, remind, file_request
):
    request = file_request(holding.user, kind=SubjectRequest.Kind.BLOCKING)
    SubjectRequest.objects.filter(pk=request.pk).update(blocked_at=request.received_at)

    assert remind() == 0


def test_remote_read_meters_need_no_reminder(make_meter, holding, clock, remind):
    make_meter(remote_read=True)

    assert remind() == 0
