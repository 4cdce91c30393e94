"""What signed-in pages show about their person — the layout's PD-blocking and incident banners
and policy notice, the dashboard's accounts, the consents' state and the first page of their
history — kept in the shared cache until an event changes it, and read in one round trip per
request.

Each app computes its own part and names the events that change it: the service that changes
the state calls `person_changed()`, and the next page computes it again.
Keys carry the Moscow date, so what depends on the day (a version taking effect, a due date)
is computed again each day; `depends_on` names a cache key whose value is part of the state
(the publication generation of the policy, the generation of imported data), which
`generation_next()` renews. A short lifetime bounds what a race between a computation and an
event could leave behind. A cache outage only costs the queries again.
"""

import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest

from lkk.moscow import moscow_today

KEEP_SECONDS = 5 * 60


class Shown(StrEnum):
    """The parts kept per person, each computed by its own app."""

    PD_BLOCKING = "pd-blocking"  # consents: the request blocking the person's PD
    PENDING_POLICY = "pending-policy"  # consents: the policy version still to accept or read
    INCIDENT_NOTICES = "incident-notices"  # incidents: unread notices of incidents
    # billing: the dashboard's accounts with their panels and the consents' state; kept under
    # the generation of imported data (`lkk.exchange.IMPORTED_DATA_GENERATION`)
    DASHBOARD = "dashboard"
    CONSENT_HISTORY = "consent-history"  # consents: the first page of «Мои согласия»'s history
    # consents: each purpose with the person's state, as «Мои согласия» shows it (a purpose
    # renamed by staff shows under its new name within `KEEP_SECONDS`)
    CONSENT_STATES = "consent-states"


# Every `depends_on` key met so far: a request's first read fetches them with its person's parts.
_DEPENDENCIES: set[str] = set()
# Counts `person_changed()` and `generation_next()` calls in this process: a request's read
# taken before a change is taken again (a view that changes a state, then renders it, shows it).
_changes = 0


@dataclass
class _RequestRead:
    """All parts of one person and the known generations, read in one round trip per request."""

    user_pk: int
    changes: int
    asked: set[str]
    found: dict[str, Any]


def _key(name: Shown, user_pk: int, day: str) -> str:
    # Values are (generation, value) pairs; keys of the earlier bare values never match these.
    return f"person:{name}:{user_pk}:{day}"


def _today(request: HttpRequest | None) -> str:
    """The Moscow date in the keys: worked out once per request, which reads up to ten keys."""
    if request is None:
        return moscow_today().isoformat()
    day: str | None = getattr(request, "_person_cache_day", None)
    if day is None:
        day = moscow_today().isoformat()
        request._person_cache_day = day  # type: ignore[attr-defined]
    return day


def _read(keys: list[str], user_pk: int, request: HttpRequest | None) -> dict[str, Any]:
    if request is None:
        return cache.get_many(keys)
    read: _RequestRead | None = getattr(request, "_person_cache_read", None)
    if read is None or read.user_pk != user_pk or read.changes != _changes:
        day = _today(request)
        everything = [_key(name, user_pk, day) for name in Shown] + sorted(_DEPENDENCIES)
        read = _RequestRead(user_pk, _changes, set(everything), cache.get_many(everything))
        request._person_cache_read = read  # type: ignore[attr-defined]
    missing = [key for key in keys if key not in read.asked]
    if missing:
        read.found.update(cache.get_many(missing))
        read.asked.update(missing)
    return {key: read.found[key] for key in keys if key in read.found}


def _write(key: str, value: Any, request: HttpRequest | None) -> None:
    cache.set(key, value, KEEP_SECONDS)
    read: _RequestRead | None = getattr(request, "_person_cache_read", None)
    if read is not None:
        read.found[key] = value


def person_cached[T](
    name: Shown,
    user_pk: int,
    compute: Callable[[], T],
    *,
    depends_on: str | None = None,
    request: HttpRequest | None = None,
) -> T:
    """`compute()` for this person, from the cache while nothing has changed it.

    With the `request`, its first call reads every part of the person at once: a page showing
    several costs one round trip to the cache.
    """
    key = _key(name, user_pk, _today(request))
    if depends_on is None:
        found = _read([key], user_pk, request)
        if key in found:
            return found[key][1]
        value = compute()
        _write(key, ("", value), request)
        return value
    _DEPENDENCIES.add(depends_on)
    values = _read([key, depends_on], user_pk, request)
    generation = values.get(depends_on)
    if generation is None:
        # The cache lost it (a restart, an eviction): start one, or every page would compute.
        generation = generation_start(depends_on)
    elif key in values and values[key][0] == generation:
        return values[key][1]
    value = compute()
    if generation:
        _write(key, (generation, value), request)
    return value


def generation_next(key: str) -> None:
    """What is kept under the generation `key` is computed again: now, and again after the
    commit (a computation meanwhile still read the state before it)."""
    global _changes
    _changes += 1
    cache.set(key, secrets.token_hex(8), None)
    transaction.on_commit(lambda: cache.set(key, secrets.token_hex(8), None))


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
    global _changes
    _changes += 1
    day = _today(None)
    keys = [_key(name, pk, day) for pk in user_pks if pk is not None]
    cache.delete_many(keys)
