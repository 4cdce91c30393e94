"""Numbers, due dates and the rules the database itself keeps for messages and ratings."""

import datetime
import re

import pytest
from django.db import IntegrityError
from django.utils import timezone

from feedback.models import FeedbackMessage, SpecialistRating, feedback_message_number_next
from feedback.services import ANSWER_TERM_DAYS
from tests.feedback.conftest import a_guest
from workcalendar.terms import add_calendar_days

pytestmark = pytest.mark.django_db


def serial(number: str) -> int:
    return int(number.rsplit("-", 1)[1])


def test_numbers_carry_the_kind_the_year_and_a_serial(make_message, alice):
    question = make_message(alice)
    claim = make_message(alice, kind=FeedbackMessage.Kind.CLAIM)

    year = timezone.localdate().year
    assert re.fullmatch(rf"ОС-{year}-\d{{6}}", question.number)
    assert re.fullmatch(rf"ПР-{year}-\d{{6}}", claim.number)


def test_each_kind_counts_on_its_own(make_message, alice):
    first_question = make_message(alice)
    first_claim = make_message(alice, kind=FeedbackMessage.Kind.CLAIM)
    second_claim = make_message(alice, kind=FeedbackMessage.Kind.CLAIM)
    second_question = make_message(alice)

    assert serial(second_question.number) == serial(first_question.number) + 1
    assert serial(second_claim.number) == serial(first_claim.number) + 1


def test_the_year_is_the_moscow_year_of_receipt():
    new_years_eve = datetime.datetime(2026, 12, 31, 22, 30, tzinfo=datetime.UTC)  # 01:30 in Moscow

    number = feedback_message_number_next(kind="question", received_at=new_years_eve)

    assert number.startswith("ОС-2027-")


def test_the_answer_is_due_in_thirty_days_moved_off_a_day_off(make_message, alice):
    message = make_message(alice)

    assert message.due_on == add_calendar_days(start=message.received_at, days=ANSWER_TERM_DAYS)
    assert message.due_on >= timezone.localdate() + datetime.timedelta(days=30)


def test_a_message_is_overdue_once_open_past_its_due_date(make_message, alice, answered):
    late = make_message(alice)
    answered_late = answered(make_message(alice))
    on_time = make_message(alice)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    FeedbackMessage.objects.exclude(pk=on_time.pk).update(due_on=yesterday)

    assert list(FeedbackMessage.objects.overdue()) == [late]
    late.refresh_from_db()
    answered_late.refresh_from_db()
    assert late.is_overdue
    assert not answered_late.is_overdue
    assert not on_time.is_overdue


def test_a_guest_message_without_consent_is_refused_by_the_database(make_message):
    message = make_message(guest=a_guest())

    with pytest.raises(IntegrityError):
        FeedbackMessage.objects.filter(pk=message.pk).update(guest_consent_at=None)


def test_a_guest_message_without_any_contact_is_refused_by_the_database(make_message):
    message = make_message(guest=a_guest())

    with pytest.raises(IntegrityError):
        FeedbackMessage.objects.filter(pk=message.pk).update(guest_email="", guest_phone="")


def test_a_message_is_either_a_consumers_or_a_guests(make_message, alice):
    message = make_message(guest=a_guest())

    with pytest.raises(IntegrityError):
        FeedbackMessage.objects.filter(pk=message.pk).update(user=alice)


def test_an_answered_message_has_its_answer(make_message, alice):
    message = make_message(alice)

    with pytest.raises(IntegrityError):
        FeedbackMessage.objects.filter(pk=message.pk).update(
            status=FeedbackMessage.Status.ANSWERED, answered_at=timezone.now()
        )


def test_a_rating_rates_exactly_one_thing(
    make_message, make_subject_request, alice, specialist, answered
):
    message = answered(make_message(alice))
    subject_request = make_subject_request(alice)

    with pytest.raises(IntegrityError):
        SpecialistRating.objects.create(
            feedback_message=message,
            subject_request=subject_request,
            specialist=specialist,
            author=alice,
            score=5,
        )


def test_a_rating_of_nothing_is_refused(alice, specialist):
    with pytest.raises(IntegrityError):
        SpecialistRating.objects.create(specialist=specialist, author=alice, score=5)


def test_one_thing_is_rated_once_by_the_database(make_message, alice, specialist, answered):
    message = answered(make_message(alice))
    SpecialistRating.objects.create(
        feedback_message=message, specialist=specialist, author=alice, score=5
    )

    with pytest.raises(IntegrityError):
        SpecialistRating.objects.create(
            feedback_message=message, specialist=specialist, author=alice, score=1
        )


@pytest.mark.parametrize("score", [0, 6])
def test_a_score_is_from_one_to_five(make_message, alice, specialist, answered, score):
    message = answered(make_message(alice))

    with pytest.raises(IntegrityError):
        SpecialistRating.objects.create(
            feedback_message=message, specialist=specialist, author=alice, score=score
        )
