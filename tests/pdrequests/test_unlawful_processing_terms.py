"""Unlawful processing (152-FZ art. 21 p. 3): three working days to stop it, then ten working
days from its detection to destroy the data — tracked, shown and reminded like the other terms."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from pdrequests.models import Action, SubjectRequest
from pdrequests.workflow import TransitionNotAllowed
from workcalendar.terms import Term, due_date, moscow_date

pytestmark = pytest.mark.django_db

Kind, Reason = SubjectRequest.Kind, SubjectRequest.Reason


@pytest.fixture
def unlawful(alice, file_request, act):
    request = file_request(alice, Kind.BLOCKING, reason=Reason.UNLAWFUL)
    return act(request, Action.TAKE_INTO_WORK)


def test_the_request_is_due_in_three_working_days_until_the_processing_stops(unlawful):
    assert unlawful.term == Term.STOP_UNLAWFUL
    assert unlawful.due_on == due_date(Term.STOP_UNLAWFUL, start=unlawful.received_at)


def test_once_stopped_the_ten_day_destruction_term_falls_due(unlawful, act):
    stopped = act(unlawful, Action.STOP_UNLAWFUL, comment="Обработка для рассылок прекращена.")

    assert stopped.processing_stopped_at is not None
    assert stopped.term == Term.DESTROY
    # Ten working days from the detection (the receipt), not from the stop.
    assert stopped.due_on == due_date(Term.DESTROY, start=unlawful.received_at)
    entry = stopped.events.latest("at", "pk")
    assert entry.action == Action.STOP_UNLAWFUL
    assert entry.data["due_on_before"] == unlawful.due_on.isoformat()
    assert entry.data["due_on"] == stopped.due_on.isoformat()


def test_the_stop_is_recorded_once_and_only_for_unlawful_processing(
    unlawful, act, bob, file_request
):
    act(unlawful, Action.STOP_UNLAWFUL)
    with pytest.raises(TransitionNotAllowed, match="уже отмечено"):
        act(unlawful, Action.STOP_UNLAWFUL)

    inaccurate = act(file_request(bob, Kind.BLOCKING), Action.TAKE_INTO_WORK)
    with pytest.raises(TransitionNotAllowed, match="неправомерной обработке"):
        act(inaccurate, Action.STOP_UNLAWFUL)


def test_the_destruction_term_is_reminded_when_it_runs_out(
    unlawful, act, mailoutbox, django_capture_on_commit_callbacks
):
    stopped = act(unlawful, Action.STOP_UNLAWFUL)
    today = moscow_date(timezone.now())
    SubjectRequest.objects.filter(pk=stopped.pk).update(due_on=today - datetime.timedelta(days=1))

    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind_due_requests")

    reminder = next(m for m in mailoutbox if "Сроки обращений" in m.subject)
    assert stopped.number in reminder.body
    assert "ПРОСРОЧЕНО" in reminder.body
    assert str(Term.DESTROY.label) in reminder.body


def test_the_person_is_told_the_processing_stopped_and_when_the_data_go(
    unlawful, act, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        stopped = act(unlawful, Action.STOP_UNLAWFUL, comment="Обработка для рассылок прекращена.")

    [letter] = [m for m in mailoutbox if stopped.number in m.subject]
    assert "Неправомерная обработка ваших персональных данных прекращена" in letter.body
    assert f"до {stopped.due_on:%d.%m.%Y}" in letter.body
