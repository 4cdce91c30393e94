"""The one rate-limit mechanism (lkk.limits): a sliding window counted in PostgreSQL."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from lkk.limits import Limit, RateLimited, limit_retry_at, limit_take
from lkk.models import RateEvent

pytestmark = pytest.mark.django_db

TWO_A_MINUTE = Limit(2, datetime.timedelta(minutes=1))


def take(key: str = "letter:test:1") -> None:
    with transaction.atomic():
        limit_take(key=key, limit=TWO_A_MINUTE)


def test_events_up_to_the_limit_pass_and_the_next_says_when_to_come_back():
    take()
    take()

    with pytest.raises(RateLimited) as refused:
        take()

    oldest = RateEvent.objects.order_by("at").first()
    assert refused.value.retry_at == oldest.at + TWO_A_MINUTE.window
    assert limit_retry_at(key="letter:test:1", limit=TWO_A_MINUTE) == refused.value.retry_at
    take("letter:test:2")  # another key has its own allowance


def test_the_window_slides():
    take()
    take()
    RateEvent.objects.update(at=timezone.now() - datetime.timedelta(seconds=61))

    take()


def test_an_event_rolled_back_with_its_action_is_not_counted():
    for _ in range(3):
        with pytest.raises(ZeroDivisionError), transaction.atomic():
            limit_take(key="letter:test:1", limit=TWO_A_MINUTE)
            1 / 0  # noqa: B018 — the action fails after the event was counted

    take()
    take()


def test_expired_events_are_deleted_as_new_ones_come():
    take("letter:test:old")
    RateEvent.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))

    take()

    assert list(RateEvent.objects.values_list("key", flat=True)) == ["letter:test:1"]


@pytest.mark.django_db(transaction=True)
def test_an_event_outside_a_transaction_is_a_programming_error():
    with pytest.raises(RuntimeError):
        limit_take(key="letter:test:1", limit=TWO_A_MINUTE)
