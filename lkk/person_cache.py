"""What the layout of every signed-in page shows about its person (the PD-blocking and incident
banners, the policy notice), kept in the shared cache until an event changes it.

Each app computes its own part and names the events that change it: the service that changes
the state calls `person_changed()`, and the next page computes it again.
Keys carry the Moscow date, so what depends on the day (a version taking effect, a due date)
is computed again each day; `depends_on` names a cache key whose value is part of the state
(the publication generation of the policy). A short lifetime bounds what a race between a
computation and an event could leave behind. A cache outage only costs the queries again.
"""

import secrets
from collections.abc import Callable, Iterable
from enum import StrEnum

from django.core.cache import cache
from django.utils import timezone

KEEP_SECONDS = 5 * 60


class Shown(StrEnum):
    """The parts of the layout kept per person, each computed by its own app."""

    PD_BLOCKING = "pd-blocking"  # consents: the request blocking the person's PD
    PENDING_POLICY = "pending-policy"  # consents: the policy version still to accept or read
    INCIDENT_NOTICES = "incident-notices"  # incidents: unread notices of incidents


_MISSING = object()


def _key(name: Shown, user_pk: int) -> str:
    return f"person:{name}:{timezone.localdate().isoformat()}:{user_pk}"


def person_cached[T](
    name: Shown, user_pk: int, compute: Callable[[], T], *, depends_on: str | None = None
) -> T:
    """`compute()` for this person, from the cache while nothing has changed it."""
    key = _key(name, user_pk)
    if depends_on is None:
        found = cache.get(key, _MISSING)
        if found is not _MISSING:
            return found
        value = compute()
        cache.set(key, value, KEEP_SECONDS)
        return value
    values = cache.get_many([key, depends_on])
    generation = values.get(depends_on)
    if generation is None:
        # The cache lost it (a restart, an eviction): start one, or every page would compute.
        generation = generation_start(depends_on)
    elif key in values and values[key][0] == generation:
        return values[key][1]
    value = compute()
    cache.set(key, (generation, value), KEEP_SECONDS)
    return value


def generation_start(key: str) -> str:
    """The generation under `key`: a new one unless another process has just started one."""
    cache.add(key, secrets.token_hex(8), None)
    return cache.get(key) or ""


def person_changed(name: Shown, user_pks: Iterable[int | None]) -> None:
    """These people's `name` state has changed: computed again at their next page (`None`, a
    person without a portal account, has no pages).

    At once, inside the change's transaction: a page computing the state at that very moment
    may still keep what it read before the commit, for `KEEP_SECONDS` at most.
    """
    cache.delete_many([_key(name, pk) for pk in user_pks if pk is not None])
