"""A NUL byte (`%00`) anywhere in a request answers 400 or 404, never 500; and a page view
that cannot be written costs only itself, not the batch it was buffered with."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern
from django.utils import timezone

from visits.buffer import VisitBuffer
from visits.models import Visit
from visits.page_views import PageView

pytestmark = pytest.mark.django_db

ARGUMENT = re.compile(r"<[^>]+>")


def _routes(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    """Every path() of the site and the admin with its arguments as `%00`."""
    resolver = resolver or get_resolver()
    routes = []
    for pattern in resolver.url_patterns:
        if not isinstance(pattern.pattern, RoutePattern):
            continue  # the few re_path()s of the admin take only what their regex allows
        route = prefix + ARGUMENT.sub("%00", str(pattern.pattern))
        if isinstance(pattern, URLResolver):
            routes += _routes(pattern, route)
        elif isinstance(pattern, URLPattern) and "%00" in route:
            routes.append("/" + route)
    return sorted(set(routes))


@pytest.mark.parametrize("url", _routes())
def test_a_nul_byte_in_any_url_is_refused_not_an_error(client, admin_user, url):
    client.force_login(admin_user)

    assert client.get(url).status_code in (400, 404)


@pytest.mark.parametrize(
    "query",
    [
        {"status__exact": "\x00"},
        {"due": "\x00"},
        {"q": "ПДн\x00"},
        {"o": "\x00"},
        {"\x00": "1"},
    ],
)
def test_a_nul_byte_in_an_admin_list_parameter_is_refused(client, admin_user, query):
    client.force_login(admin_user)

    assert client.get("/admin/pdrequests/subjectrequest/", query).status_code == 400


def test_a_nul_byte_in_the_session_cookie_is_refused(client):
    client.cookies["sessionid"] = "abcdefgh\x00ijkl"

    assert client.get("/").status_code == 400


def test_a_nul_byte_in_a_header_is_refused(client):
    assert client.get("/", HTTP_USER_AGENT="Mozilla\x00").status_code == 400


def _view(path: str = "/", status: int = 200) -> PageView:
    return PageView(
        time=timezone.now(),
        ip="192.0.2.1",
        user_id=None,
        path=path,
        referrer="https://example.ru/\x00",
        user_agent="Mozilla\x00",
        status=status,
        duration_ms=12,
    )


def test_a_page_view_with_nul_bytes_is_written_without_them():
    buffer = VisitBuffer(write_in_background=False)
    buffer.add(_view("/politika/versions/\x00/"))

    assert buffer.flush() == 1
    assert "\x00" not in Visit.objects.get().path


def test_a_row_that_cannot_be_written_costs_only_itself():
    buffer = VisitBuffer(write_in_background=False)
    buffer.add(_view("/a/"))
    buffer.add(_view("/b/", status=99_999))  # beyond the column's range
    buffer.add(_view("/c/"))

    assert buffer.flush() == 2
    assert sorted(Visit.objects.values_list("path", flat=True)) == ["/a/", "/c/"]
