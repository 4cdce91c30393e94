"""«Где выполнен вход»: the sessions a person is signed in with, and ending them.

A row per session is written when the person signs in (any login path: the `user_logged_in`
signal) and its last activity at most every `ACTIVITY_EVERY_SECONDS` by the middleware, so an
ordinary request writes nothing of its own. Ending a session deletes the session itself; its row
goes with it.
"""

import ipaddress
import time
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import cast

from django.contrib.sessions.models import Session
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ua_parser import parse_os, parse_user_agent

from accounts.models import SignedInSession, User
from lkk.request_info import client_ip, client_user_agent

ACTIVITY_EVERY_SECONDS = 5 * 60
SEEN_SESSION_KEY = "signed_in_seen"
KEEP_ALIVE_EVERY_SECONDS = 60
ALIVE_SESSION_KEY = "alive_at"


def masked_ip(ip: str | None) -> str:
    """The network part only: 203.0.113.* for IPv4, the first three groups for IPv6."""
    if not ip:
        return ""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ""
    if isinstance(address, ipaddress.IPv4Address):
        return ".".join(str(address).split(".")[:3]) + ".*"
    return ":".join(address.exploded.split(":")[:3]) + ":*"


def signed_in_user(request: HttpRequest) -> User:
    """The person a signed-in view serves. Every view but the few marked `login_not_required`
    is behind the login (LoginRequiredMiddleware, `login_required`), which the type checker
    cannot see: to it `request.user` may still be anonymous."""
    return cast(User, request.user)


def session_record_login(request: HttpRequest, user: User) -> None:
    """Records the session the person has just signed in with."""
    session_key = request.session.session_key
    if session_key is None:
        request.session.save()
        session_key = request.session.session_key
    now = timezone.now()
    SignedInSession.objects.update_or_create(
        session_id=session_key,
        defaults={
            "user": user,
            "user_agent": client_user_agent(request),
            "masked_ip": masked_ip(client_ip(request)),
            "signed_in_at": now,
            "last_seen_at": now,
        },
    )
    request.session[SEEN_SESSION_KEY] = request.session[ALIVE_SESSION_KEY] = int(time.time())


def session_keep_alive(request: HttpRequest) -> None:
    """Saves the session again if its last save is a minute old, which renews its expiry.

    `SESSION_COOKIE_AGE` is an inactivity timeout: it counts from the session's last save.
    Saving on every request (`SESSION_SAVE_EVERY_REQUEST`) cost each page an UPDATE in a
    transaction of its own; saved at most once a minute, a session ends between 29 and 30
    minutes after the last request, never later. A request without a session cookie, or with
    one no longer valid, creates no session.
    """
    if request.session.session_key is None:
        return
    alive_at = request.session.get(ALIVE_SESSION_KEY)
    if request.session.session_key is None:  # the cookie named no session (any more)
        return
    now = int(time.time())
    if not isinstance(alive_at, int) or now - alive_at >= KEEP_ALIVE_EVERY_SECONDS:
        request.session[ALIVE_SESSION_KEY] = now


def session_touch(request: HttpRequest) -> None:
    """Notes the activity of a signed-in session if the last note is a few minutes old (or
    missing: a session from before this feature gets its row at its next request)."""
    seen = request.session.get(SEEN_SESSION_KEY)
    if isinstance(seen, int) and time.time() - seen < ACTIVITY_EVERY_SECONDS:
        return
    if not request.user.is_authenticated or request.session.session_key is None:
        return
    updated = SignedInSession.objects.filter(
        session_id=request.session.session_key, user=request.user
    ).update(last_seen_at=timezone.now(), masked_ip=masked_ip(client_ip(request)))
    if not updated:
        try:
            with transaction.atomic():
                session_record_login(request, request.user)
        except IntegrityError:
            return  # the session was ended meanwhile, from another device
    request.session[SEEN_SESSION_KEY] = int(time.time())


@dataclass(frozen=True)
class ShownSession:
    pk: int
    browser: str
    masked_ip: str
    signed_in_at: datetime
    last_seen_at: datetime
    current: bool


@lru_cache(maxsize=256)
def browser_name(user_agent: str) -> str:
    """«Chrome 140 · Linux» from the User-Agent header, or «Неизвестный браузер»."""
    parsed = parse_user_agent(user_agent) if user_agent else None
    if parsed is None or parsed.family == "Other":
        return "Неизвестный браузер"
    name = f"{parsed.family} {parsed.major}" if parsed.major else parsed.family
    system = parse_os(user_agent)
    if system is not None and system.family != "Other":
        name = f"{name} · {system.family}"
    return name


def active_sessions(user: User) -> QuerySet[SignedInSession]:
    return SignedInSession.objects.filter(user=user, session__expire_date__gt=timezone.now())


def sessions_shown(request: HttpRequest) -> list[ShownSession]:
    """The person's sessions that have not expired, this one first, then by last activity."""
    current_key = request.session.session_key
    rows = active_sessions(signed_in_user(request)).order_by("-last_seen_at", "-pk")
    shown = [
        ShownSession(
            pk=row.pk,
            browser=browser_name(row.user_agent),
            masked_ip=row.masked_ip,
            signed_in_at=row.signed_in_at,
            last_seen_at=row.last_seen_at,
            current=row.session_id == current_key,
        )
        for row in rows
    ]
    return sorted(shown, key=lambda s: not s.current)


@transaction.atomic
def session_end(*, user: User, pk: int, keep_session_key: str | None = None) -> bool:
    """Ends one other session of the person; False if it is not theirs, already ended, or the
    one named to keep (the current one: signing out does that)."""
    row = SignedInSession.objects.filter(user=user, pk=pk).first()
    if row is None or row.session_id == keep_session_key:
        return False
    Session.objects.filter(session_key=row.session_id).delete()
    return True


@transaction.atomic
def sessions_end(*, user: User, keep_session_key: str | None = None) -> int:
    """Ends every session of the person but the one named (their current one, if any)."""
    rows = SignedInSession.objects.filter(user=user)
    if keep_session_key:
        rows = rows.exclude(session_id=keep_session_key)
    keys = list(rows.values_list("session_id", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    return len(keys)
