"""What is kept of one request: the page view held in memory, and the row it becomes.

The request thread only copies a few values; resolving paths and parsing the browser happen when
the buffer is written, away from the request.
"""

import re
from datetime import datetime
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.http.request import validate_host
from django.urls import Resolver404, resolve
from django.utils.functional import SimpleLazyObject
from ua_parser import parse_user_agent

from lkk.request_info import client_ip, client_user_agent
from visits.models import BROWSER_MAX_LENGTH, PATH_MAX_LENGTH, REFERRER_MAX_LENGTH

NAMED_GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")
# The columns of the Visit table a page view fills, in the order of `PageView.to_row()`.
VISIT_COLUMNS = ("time", "ip", "user_id", "path", "referrer", "browser", "status", "duration_ms")


class PageView(NamedTuple):
    """A named tuple, not a frozen dataclass: it is built on every request, and a frozen
    dataclass's `__init__` (a guarded `object.__setattr__` per field) cost three times what the
    rest of recording a view costs the request."""

    time: datetime
    ip: str | None
    user_id: int | None
    path: str
    referrer: str
    user_agent: str
    status: int
    duration_ms: int

    def to_row(self) -> tuple[object, ...]:
        """The values of its Visit row, in the order of VISIT_COLUMNS.

        A tuple rather than a model instance: the buffer writes rows with COPY, and building and
        compiling instances was most of what writing a view cost the process (issue 16).
        """
        return (
            self.time,
            self.ip,
            self.user_id,
            page_path(_text(self.path)),
            clean_referrer(_text(self.referrer)),
            browser_family(_text(self.user_agent)),
            self.status,
            self.duration_ms,
        )


def _text(value: str) -> str:
    """What PostgreSQL text can hold: a request may carry NUL bytes, a row may not."""
    return value.replace("\x00", "")


def page_view_from(
    request: HttpRequest, *, status: int, time: datetime, duration_ms: int
) -> PageView:
    return PageView(
        time=time,
        ip=client_ip(request),
        user_id=_known_user_id(request),
        path=request.path_info,  # never the query string: it may carry what a person typed
        referrer=request.META.get("HTTP_REFERER", ""),
        user_agent=client_user_agent(request),
        status=status,
        duration_ms=duration_ms,
    )


def _known_user_id(request: HttpRequest) -> int | None:
    """The signed-in user, if the request has already looked them up.

    Looking the user up here would cost the session and user queries that recording promises not
    to add; a page that never needed the user (a redirect, a 404) is recorded as anonymous.
    """
    user = getattr(request, "user", None)
    if isinstance(user, SimpleLazyObject):
        # django.contrib.auth's lazy user stores the looked-up user here once it is evaluated.
        user = getattr(request, "_cached_user", None)
    if user is None or not user.is_authenticated:
        return None
    return user.pk


def page_path(path: str) -> str:
    """The URL pattern of one of the site's pages (`/requests/<int:pk>/`), else the path itself.

    Values inside a path (ids, signed tokens that may carry an email address) are never kept;
    a path that matched no page is kept as it is, to find broken links.
    """
    return _page_path(path, settings.ROOT_URLCONF)


@lru_cache(maxsize=4096)
def _page_path(path: str, urlconf: str) -> str:
    # Cached: a few pages make most of the views, and resolving each one again was most of
    # what recording a view cost the process (issue 16).
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return path[:PATH_MAX_LENGTH]
    # A regular-expression route (the admin's) reads like the others: `(?P<app_label>…)/$`
    # becomes `<app_label>/`.
    route = NAMED_GROUP.sub(r"<\1>", match.route).replace("^", "").replace("$", "")
    return f"/{route}"[:PATH_MAX_LENGTH]


def clean_referrer(referrer: str) -> str:
    """Where the person came from: our own page as its pattern, another site without a query."""
    return _clean_referrer(referrer, settings.ROOT_URLCONF, tuple(settings.ALLOWED_HOSTS))


@lru_cache(maxsize=1024)
def _clean_referrer(referrer: str, urlconf: str, allowed_hosts: tuple[str, ...]) -> str:
    # Cached like the paths: our own few pages and a few other sites make most referrers, and
    # splitting and checking each one again cost more than the rest of a view's row (issue 16).
    try:
        parts = urlsplit(referrer)
        host, port = parts.hostname, parts.port
    except ValueError:
        return ""
    if not parts.scheme or not host:
        return ""
    if ":" in host:  # IPv6, written in brackets in URLs and in ALLOWED_HOSTS
        host = f"[{host}]"
    if validate_host(host, allowed_hosts):
        return _page_path(parts.path or "/", urlconf)
    origin = f"{parts.scheme}://{host}" + (f":{port}" if port else "")
    return f"{origin}{parts.path}"[:REFERRER_MAX_LENGTH]


@lru_cache(maxsize=1024)
def browser_family(user_agent: str) -> str:
    """The browser's family, such as "Chrome Mobile" or "Yandex Browser".

    Cached: parsing is slow, and a few browsers make most of the visits.
    """
    parsed = parse_user_agent(user_agent) if user_agent else None
    return parsed.family[:BROWSER_MAX_LENGTH] if parsed else ""
