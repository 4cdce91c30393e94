"""The daily reminder: one letter per member of staff about requests overdue or due within two
working days — their own to each assignee, all of them to every PD officer. It is the cases'
reminder pipeline with a letter of its own: its marks are `cases.CaseReminder` rows, apart from
the cases' letter's."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from cases.models import CaseReminder
from cases.services import due_cases_remind
from feedback.models import FeedbackMessage
from feedback.services import feedback_message_create
from pdrequests.models import Action, SubjectRequest
from workcalendar.terms import add_working_days, moscow_date

pytestmark = pytest.mark.django_db


def today() -> datetime.date:
    return moscow_date(timezone.now())


def set_due(request, due_on) -> SubjectRequest:
    SubjectRequest.objects.filter(pk=request.pk).update(due_on=due_on)
    return request


@pytest.fixture
def due_requests(alice, bob, file_request, act, site_admin, pd_officer):
    """Overdue (the site administrator's), due soon (nobody's), due later, and closed."""
    overdue = act(file_request(alice), Action.TAKE_INTO_WORK, assignee=site_admin)
    set_due(overdue, today() - datetime.timedelta(days=2))
    soon = set_due(file_request(bob), add_working_days(start=today(), days=2))
    set_due(file_request(bob), add_working_days(start=today(), days=3))
    closed = act(file_request(alice), Action.REJECT, answer="Нет оснований.")
    set_due(closed, today() - datetime.timedelta(days=2))
    return overdue, soon


def letters_by_recipient(mailoutbox) -> dict:
    # Letters about filing and actions went to the consumers: only the reminders are counted.
    return {m.to[0]: m for m in mailoutbox if "Сроки обращений" in m.subject}


def test_each_assignee_and_each_pd_officer_gets_one_letter(
    due_requests, mailoutbox, django_capture_on_commit_callbacks
):
    overdue, soon = due_requests

    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind_due_requests")

    letters = letters_by_recipient(mailoutbox)
    assert set(letters) == {"siteadmin@ivsbyt.ru", "officer@ivsbyt.ru"}
    to_officer = letters["officer@ivsbyt.ru"]
    assert overdue.number in to_officer.body and soon.number in to_officer.body
    assert "ПРОСРОЧЕНО" in to_officer.body
    assert "просрочено 1, истекает 1" in to_officer.subject
    to_assignee = letters["siteadmin@ivsbyt.ru"]
    assert overdue.number in to_assignee.body
    assert soon.number not in to_assignee.body
    assert "исполнитель: вы" in to_assignee.body


def test_the_letter_is_russian_plain_and_html_and_names_no_subject(
    due_requests, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind_due_requests")

    letter = letters_by_recipient(mailoutbox)["officer@ivsbyt.ru"]
    html, mimetype = letter.alternatives[0]
    assert mimetype == "text/html"
    assert "Здравствуйте, Ольга!" in letter.body
    assert "/admin/pdrequests/subjectrequest/" in html
    for value in ("Иванова", "alice@example.ru", "Смирнов"):
        assert value not in letter.body and value not in html


def test_a_second_run_the_same_day_sends_nothing_more(
    due_requests, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind_due_requests")
    first = len(letters_by_recipient(mailoutbox))
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind_due_requests")

    assert first == 2
    assert letters_by_recipient(mailoutbox) == {}


def test_each_letter_is_marked_in_the_cases_reminder_marks(
    due_requests, site_admin, pd_officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind_due_requests")

    marks = CaseReminder.objects.values_list("recipient", "day", "letter")
    assert set(marks) == {
        (site_admin.pk, today(), "pdrequests"),
        (pd_officer.pk, today(), "pdrequests"),
    }


def test_the_cases_letter_and_the_pd_letter_the_same_day_do_not_stop_each_other(
    due_requests, alice, site_admin, mailoutbox, django_capture_on_commit_callbacks
):
    # A feedback message nobody took, due today: the site administrator may handle it.
    message = feedback_message_create(
        kind=FeedbackMessage.Kind.QUESTION, subject="Счёт", text="Почему так много?", user=alice
    )
    FeedbackMessage.objects.filter(pk=message.pk).update(due_on=today())

    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind_due_requests")
        due_cases_remind(today=today())
    to_admin = [m.subject for m in mailoutbox if m.to == ["siteadmin@ivsbyt.ru"]]
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind_due_requests")
        again = due_cases_remind(today=today())

    assert sorted(subject.split(":")[0] for subject in to_admin) == [
        "Сроки обращений и заявок",
        "Сроки обращений по ПДн",
    ]
    assert set(
        CaseReminder.objects.filter(recipient=site_admin).values_list("letter", flat=True)
    ) == {"cases", "pdrequests"}
    assert again == 0 and mailoutbox == []


def test_a_request_closed_before_the_letter_goes_is_left_out(
    due_requests, act, mailoutbox, django_capture_on_commit_callbacks
):
    overdue, soon = due_requests

    with django_capture_on_commit_callbacks(execute=False) as queued:
        call_command("remind_due_requests")
    act(overdue, Action.REJECT, answer="Нет оснований.")
    mailoutbox.clear()
    for send in queued:
        send()

    letters = letters_by_recipient(mailoutbox)
    assert set(letters) == {"officer@ivsbyt.ru"}  # the assignee's only request is closed
    assert overdue.number not in letters["officer@ivsbyt.ru"].body
    assert soon.number in letters["officer@ivsbyt.ru"].body


def test_nothing_due_means_no_letters(
    pd_officer, alice, file_request, mailoutbox, django_capture_on_commit_callbacks
):
    file_request(alice)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind_due_requests")

    assert letters_by_recipient(mailoutbox) == {}
    assert not CaseReminder.objects.exists()
