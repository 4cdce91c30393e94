"""Pages that are the same for every visitor (the policy, its versions and changes, the consent
texts, the home page), served to visitors from the shared cache.

A page is rendered once and kept for the day (Moscow), under its path and whether the cookie
notice is shown. Publishing anything these pages show
(a policy version, a consent text) calls `public_pages_changed()`, and every kept page is
rendered again at its next request; a new day does the same, since a version published earlier
may take effect today. One cache read per request: the generation and the page come together.
Each process also keeps the pages it served and trusts the generation it read for a second
(`TRUST_SECONDS`, "microcaching"): a busy process reads the cache about once a second per page,
and a publication shows at once in the process that made it and within a second in the others.

Only visitors are served from the cache: a request with a session cookie (a signed-in person,
or a visitor with messages waiting) is rendered as usual and marked private. The cookie notice
holds a form and so a CSRF token: the kept page holds a placeholder instead, replaced at each
request by the visitor's own token, and that variant is private too (a shared cache must not give
one visitor's token to another). Browsers and proxies revalidate (`no-cache`) with the `ETag`
or `Last-Modified` and get 304 while the page has not changed (a page with a token: while
neither it nor the visitor's CSRF secret has).

`PublicPageMiddleware` serves a kept page before sessions, authentication and the view: a
visitor's page then costs one cache read and the CSRF token. The decorator serves it otherwise
(a view calling a public page's view, as the admin's sign-in does), and renders and keeps it.
"""

import hashlib
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache, wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.template.response import SimpleTemplateResponse
from django.urls import Resolver404, ResolverMatch, resolve
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from lkk.moscow import moscow_today
from lkk.person_cache import generation_next, generation_start
from privacy.context_processors import COOKIE_NOTICE_COOKIE

GENERATION_KEY = "public-pages:generation"
_KEEP_SECONDS = 24 * 60 * 60
TRUST_SECONDS = 1.0
_PROCESS_COPIES_MAX = 256  # pages (a few dozen KB each) per process
_CSRF_INPUT = re.compile(rb'(<input type="hidden" name="csrfmiddlewaretoken" value=")[^"]*(")')
_CSRF_PLACEHOLDER = b"\x00csrf\x00"  # NUL never occurs in a rendered page


@dataclass(frozen=True)
class KeptPage:
    generation: str
    content: bytes
    content_type: str
    etag: str
    last_modified: float
    has_csrf_token: bool


def public_pages_changed() -> None:
    """Something public pages show was published: each is rendered again at its next request.

    Now, and again after the commit: a page rendered meanwhile still showed the state before it.
    """
    generation_next(GENERATION_KEY)
    forget_process_copies()


def forget_process_copies() -> None:
    """This process asks the shared cache again at the next request (tests: after clearing it)."""
    _process_copies.forget()


def public_page(*, query: Iterable[str] = ()) -> Callable:
    """Serves a visitor's GET of the decorated view from the cache.

    `query`: the parameters the view reads; a request with any other parameter is rendered
    as usual (so that junk parameters cannot fill the cache). Only 200 answers are kept.
    """
    allowed = frozenset(query)

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not _served_from_cache(request, allowed):
                response = view(request, *args, **kwargs)
                patch_vary_headers(response, ["Cookie"])
                patch_cache_control(response, private=True)
                return response
            page, generation = _kept_page(request)
            if page is None:
                response = view(request, *args, **kwargs)
                if response.status_code != 200 or response.streaming:
                    patch_vary_headers(response, ["Cookie"])
                    patch_cache_control(response, private=True)
                    return response
                if isinstance(response, SimpleTemplateResponse):
                    response.render()  # a class-based view's page, rendered later otherwise
                page = _keep(response, generation)
                key = _page_key(request)
                cache.set(key, page, _KEEP_SECONDS)
                _process_copies.remember(generation, key, page)
            return _serve(request, page)

        wrapped.public_page_query = allowed  # type: ignore[attr-defined]
        return wrapped

    return decorator


class PublicPageMiddleware:
    """Answers a visitor's GET of a public page that is kept and current from the cache.

    Early: sessions, authentication, the signed-in person's checks and messages concern no
    visitor, and routing is known from the path. The CSRF middleware's own code sets the
    visitor's CSRF cookie when the page carries a token. Anything else goes on as usual.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.csrf = CsrfViewMiddleware(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        route = _public_route(request.path_info, settings.ROOT_URLCONF)
        if route is None or not _served_from_cache(request, route.query):
            return self.get_response(request)
        request.get_host()  # a host not in ALLOWED_HOSTS: 400, as CommonMiddleware answers it
        page, _generation = _kept_page(request)
        if page is None:
            return self.get_response(request)  # the view renders and keeps it
        request.resolver_match = route.match  # for the statistics and metrics: which page
        self.csrf.process_request(request)
        return self.csrf.process_response(request, _serve(request, page))


@dataclass(frozen=True)
class _PublicRoute:
    match: ResolverMatch
    query: frozenset[str]  # the parameters its view reads


@lru_cache(maxsize=1024)
def _public_route(path: str, urlconf: str) -> _PublicRoute | None:
    """The route of a path whose view is a public page; None for every other path."""
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return None
    query = getattr(match.func, "public_page_query", None)
    return None if query is None else _PublicRoute(match, query)


def _kept_page(request: HttpRequest) -> tuple[KeptPage | None, str]:
    """The request's kept page if it is current, and the current generation: from this process's
    copies while they are trusted, else in one cache read."""
    key = _page_key(request)
    page = _process_copies.page(key)
    if page is not None:
        return page, page.generation
    found = cache.get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY) or generation_start(GENERATION_KEY)
    page = found.get(key)
    current = page if page is not None and page.generation == generation else None
    _process_copies.remember(generation, key, current)
    return current, generation


class _ProcessCopies:
    """The pages this process served lately and the generation it last read (for `TRUST_SECONDS`).

    Atomic assignments only: a threaded server's threads may share it.
    """

    def __init__(self) -> None:
        self.forget()

    def forget(self) -> None:
        self.read: tuple[str, float] = ("", float("-inf"))  # generation, time.monotonic()
        self.pages: dict[str, KeptPage] = {}

    def page(self, key: str) -> KeptPage | None:
        generation, read_at = self.read
        if time.monotonic() - read_at > TRUST_SECONDS:
            return None
        page = self.pages.get(key)
        return page if page is not None and page.generation == generation else None

    def remember(self, generation: str, key: str, page: KeptPage | None) -> None:
        if self.read[0] != generation or len(self.pages) >= _PROCESS_COPIES_MAX:
            self.pages = {}  # pages of another generation are of no use any more
        if page is not None:
            self.pages[key] = page
        self.read = (generation, time.monotonic())


_process_copies = _ProcessCopies()


def _served_from_cache(request: HttpRequest, allowed: frozenset[str]) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and allowed.issuperset(request.GET)
    )


def _page_key(request: HttpRequest) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    notice = COOKIE_NOTICE_COOKIE not in request.COOKIES
    today = moscow_today().isoformat()
    return f"public-pages:{today}:{int(notice)}:{path}"


def _keep(response: HttpResponse, generation: str) -> KeptPage:
    content, replaced = _CSRF_INPUT.subn(rb"\1" + _CSRF_PLACEHOLDER + rb"\2", response.content)
    return KeptPage(
        generation=generation,
        content=content,
        content_type=response["Content-Type"],
        etag=f'"{hashlib.sha256(content).hexdigest()[:32]}"',
        last_modified=timezone.now().timestamp(),
        has_csrf_token=bool(replaced),
    )


def _serve(request: HttpRequest, page: KeptPage) -> HttpResponse:
    token = get_token(request) if page.has_csrf_token else None
    last_modified: int | None
    if token is None:
        etag, last_modified = page.etag, int(page.last_modified)
    else:
        # The visitor's own token makes the body theirs: a weak validator, private to their
        # browser, that changes with their CSRF secret. Signing in gives a new secret
        # (django.contrib.auth.login) and the copy the browser kept would send a dead token;
        # a date cannot tell that, so there is none.
        secret = request.META["CSRF_COOKIE"]  # set by get_token(): the secret the token masks
        etag = f'W/"{hashlib.sha256((page.etag + secret).encode()).hexdigest()[:32]}"'
        last_modified = None
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if not_modified is not None:
        response = not_modified
    else:
        content = page.content
        if token is not None:
            content = content.replace(_CSRF_PLACEHOLDER, token.encode())
        response = HttpResponse(content, content_type=page.content_type)
        response["Content-Length"] = str(len(content))  # as CommonMiddleware gives the others
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    # A response of our own making: its headers are set, not merged with what is not there.
    response["Vary"] = "Cookie"
    response["Cache-Control"] = f"{'private' if page.has_csrf_token else 'public'}, no-cache"
    return response
