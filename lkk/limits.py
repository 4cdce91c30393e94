"""The one sliding-window rate limit: "at most `limit` events in any `window`", counted from rows
in PostgreSQL, so every process behind the load balancer agrees.

Callers that must not let a burst of parallel requests slip under the limit take
`lkk.db.advisory_lock` on the same key first.
"""

import datetime

from django.db import models
from django.utils import timezone


def sliding_window_retry_at(
    events: models.QuerySet,
    *,
    field: str,
    limit: int,
    window: datetime.timedelta,
) -> datetime.datetime | None:
    """When one more event is allowed; None if it is allowed now.

    `events` are the rows that count (one consumer's failures, one address's messages) and
    `field` their time. The limit-th most recent event inside the window decides: once it
    leaves the window, one more is allowed. One indexed query.
    """
    recent = events.filter(**{f"{field}__gt": timezone.now() - window})
    oldest_counted = list(
        recent.order_by(f"-{field}").values_list(field, flat=True)[limit - 1 : limit]
    )
    return oldest_counted[0] + window if oldest_counted else None
