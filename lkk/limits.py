"""Rate limits: the one mechanism for everything a visitor or a consumer can repeat that makes
work for staff or sends a letter (sign-in lockouts are django-axes').

A limit is a sliding window counted in PostgreSQL, so every process behind the load balancer
agrees and a cache outage changes nothing: at most `count` events in any `window`; once the
oldest counted event leaves the window, one more is allowed. The caller holds a transaction and
takes `advisory_lock` on what it limits first, so a burst of parallel requests queues up instead
of slipping under the count together.

The events are the rows the action itself leaves where there are such rows (feedback messages,
PD requests, link attempts: `window_retry_at`), and `RateEvent` rows otherwise (`limit_take`).
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from lkk.db import advisory_lock
from lkk.models import RateEvent

# Expired RateEvent rows deleted by each new one: enough to keep the table at its live size.
_PRUNE_BATCH = 100


@dataclass(frozen=True)
class Limit:
    """At most `count` events in any `window`."""

    count: int
    window: datetime.timedelta


class RateLimited(Exception):
    """Over the limit: the next event is allowed at `retry_at`."""

    def __init__(self, retry_at: datetime.datetime) -> None:
        super().__init__(f"Rate limited until {retry_at.isoformat()}")
        self.retry_at = retry_at


def window_retry_at(events: QuerySet, *, at_field: str, limit: Limit) -> datetime.datetime | None:
    """When one more of `events` (timed by `at_field`) is allowed; None if it is allowed now."""
    recent = events.filter(**{f"{at_field}__gt": timezone.now() - limit.window})
    # The count-th most recent event: once it leaves the window, one more is allowed.
    oldest_counted = list(
        recent.order_by(f"-{at_field}").values_list(at_field, flat=True)[
            limit.count - 1 : limit.count
        ]
    )
    return oldest_counted[0] + limit.window if oldest_counted else None


def window_check(events: QuerySet, *, at_field: str, limit: Limit, lock_key: str) -> None:
    """Lock `lock_key` for the transaction and raise RateLimited if `events` are at the limit."""
    advisory_lock(f"limit:{lock_key}")
    retry_at = window_retry_at(events, at_field=at_field, limit=limit)
    if retry_at is not None:
        raise RateLimited(retry_at)


def limit_retry_at(*, key: str, limit: Limit) -> datetime.datetime | None:
    """When `limit_take(key=…)` will next succeed; None if it would now."""
    return window_retry_at(RateEvent.objects.filter(key=key), at_field="at", limit=limit)


def limit_take(*, key: str, limit: Limit) -> None:
    """Count one event for `key`, or raise RateLimited if `key` is at its limit.

    Must run inside the transaction of the action it limits: if that rolls back, so does the
    event."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("limit_take() must run inside a transaction.")
    window_check(RateEvent.objects.filter(key=key), at_field="at", limit=limit, lock_key=key)
    now = timezone.now()
    expired = RateEvent.objects.filter(expires_at__lt=now).values_list("pk", flat=True)
    RateEvent.objects.filter(pk__in=list(expired[:_PRUNE_BATCH])).delete()
    RateEvent.objects.create(key=key, at=now, expires_at=now + limit.window)


def recent_duplicate[M: Model](
    candidates: QuerySet[M], *, at_field: str, within: datetime.timedelta | None, lock_key: str
) -> M | None:
    """The same submission made within `within` (None: at any time), if any: a double click or
    a form sent again gets the first one back instead of a second. Takes the lock on `lock_key`
    first, so that parallel copies find the one that got there first."""
    advisory_lock(f"limit:{lock_key}")
    if within is not None:
        candidates = candidates.filter(**{f"{at_field}__gt": timezone.now() - within})
    return candidates.order_by(f"-{at_field}").first()


def rate_limited_message(limited: RateLimited) -> str:
    """What the form says to someone over a limit: when they may send again, Moscow time."""
    at = timezone.localtime(limited.retry_at)
    return gettext(
        "Слишком много отправок подряд. Отправить снова можно %(date)s в %(time)s "
        "по московскому времени."
    ) % {"date": f"{at:%d.%m.%Y}", "time": f"{at:%H:%M}"}
