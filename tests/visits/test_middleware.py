"""Every page view is recorded (policy 3.3), at no cost to the request and never breaking it."""

import logging

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from visits.models import Visit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("test_pages")]

CHROME_ON_ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; SM-A546B) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36"
)
WITH_RECORDING = settings.MIDDLEWARE
WITHOUT_RECORDING = [m for m in settings.MIDDLEWARE if m != "visits.middleware.VisitMiddleware"]


def recorded(visit_buffer) -> list[Visit]:
    visit_buffer.flush()
    return list(Visit.objects.order_by("pk"))


def test_a_page_view_is_recorded_with_its_time_address_page_status_and_browser(
    client, visit_buffer
):
    before = timezone.now()

    response = client.get(
        "/test-visits/requests/42/?email=alice@example.ru&phone=79161234567",
        REMOTE_ADDR="203.0.113.7",
        HTTP_USER_AGENT=CHROME_ON_ANDROID,
    )

    assert response.status_code == 200
    [visit] = recorded(visit_buffer)
    assert before <= visit.time <= timezone.now()
    assert visit.ip == "203.0.113.7"
    assert visit.user is None
    assert visit.path == "/test-visits/requests/<int:pk>/"
    assert visit.status == 200
    assert 0 <= visit.duration_ms < 5000
    assert visit.browser == "Chrome Mobile"


def test_nothing_from_the_query_string_or_the_path_values_is_kept(client, visit_buffer):
    client.get("/test-visits/requests/42/?email=alice@example.ru")

    [visit] = recorded(visit_buffer)
    stored = " ".join(str(value) for value in Visit.objects.values().get().values())
    assert "alice" not in stored
    assert "42" not in visit.path


def test_the_signed_in_user_is_recorded(client, alice, visit_buffer):
    client.force_login(alice)

    client.get("/test-visits/greeting/")

    [visit] = recorded(visit_buffer)
    assert visit.user == alice


def test_no_page_view_is_recorded_for_a_person_whose_data_is_blocked(
    client, alice, bob, file_request, visit_buffer
):
    """Blocking stops all processing but storage (152-FZ art. 3 p. 6): a page view tied to the
    person is not written while it lasts; other people's views still are."""
    file_request(alice, "blocking")
    client.force_login(alice)
    client.get("/test-visits/greeting/")
    client.force_login(bob)
    client.get("/test-visits/greeting/")

    assert [visit.user for visit in recorded(visit_buffer)] == [bob]


def test_a_forwarded_for_header_is_ignored_unless_the_settings_trust_it(client, visit_buffer):
    client.get("/test-visits/plain/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.9")

    [visit] = recorded(visit_buffer)
    assert visit.ip == "10.0.0.5"


def test_behind_a_proxy_the_address_it_appended_is_recorded(client, settings, visit_buffer):
    settings.TRUSTED_PROXY_COUNT = 1

    client.get(
        "/test-visits/plain/",
        REMOTE_ADDR="10.0.0.5",
        # The client wrote the first address itself; the proxy appended the second.
        HTTP_X_FORWARDED_FOR="192.0.2.66, 198.51.100.9",
    )

    [visit] = recorded(visit_buffer)
    assert visit.ip == "198.51.100.9"


def test_a_referrer_from_another_site_keeps_only_its_address_without_the_query(
    client, visit_buffer
):
    client.get(
        "/test-visits/plain/",
        HTTP_REFERER="https://mail.example.com/inbox/message/77?uid=alice%40example.ru#top",
    )

    [visit] = recorded(visit_buffer)
    assert visit.referrer == "https://mail.example.com/inbox/message/77"


def test_a_referrer_from_the_site_itself_is_kept_as_its_page(client, visit_buffer):
    client.get(
        "/test-visits/plain/",
        HTTP_REFERER="http://testserver/test-visits/requests/42/?email=alice%40example.ru",
    )

    [visit] = recorded(visit_buffer)
    assert visit.referrer == "/test-visits/requests/<int:pk>/"


def test_an_address_that_matches_no_page_is_kept_as_it_is_to_find_broken_links(
    client, visit_buffer
):
    client.get("/no-such-page/?q=1")

    [visit] = recorded(visit_buffer)
    assert (visit.path, visit.status) == ("/no-such-page/", 404)


def test_a_server_error_is_recorded_with_its_status(client, visit_buffer):
    client.raise_request_exception = False

    response = client.get("/test-visits/broken/")

    assert response.status_code == 500
    [visit] = recorded(visit_buffer)
    assert (visit.path, visit.status) == ("/test-visits/broken/", 500)


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/healthz"),
        ("get", "/static/css/site.css"),
        ("get", "/admin/jsi18n/"),
        ("get", "/favicon.ico"),
        ("head", "/test-visits/plain/"),
    ],
)
def test_health_checks_static_files_and_machine_requests_are_not_recorded(
    client, visit_buffer, method, url
):
    getattr(client, method)(url)

    assert len(visit_buffer) == 0


def signed_in_client(user) -> Client:
    """A new client: a client loads the middleware once, with the settings of its first request."""
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("url", ["/test-visits/greeting/", "/test-visits/plain/", "/"])
def test_recording_adds_no_query_to_the_request(
    alice, settings, visit_buffer, django_assert_num_queries, url
):
    settings.MIDDLEWARE = WITHOUT_RECORDING
    not_recording = signed_in_client(alice)
    not_recording.get(url)  # the first request may fill caches (content types, policy)
    with CaptureQueriesContext(connection) as without_recording:
        not_recording.get(url)
    queries_without_recording = len(without_recording)  # the next request clears the log
    settings.MIDDLEWARE = WITH_RECORDING
    recording = signed_in_client(alice)
    recording.get(url)

    with django_assert_num_queries(queries_without_recording):
        recording.get(url)

    assert len(visit_buffer) == 2  # recorded, and not written during the request


def test_a_failure_to_record_never_breaks_the_page(client, visit_buffer, monkeypatch, caplog):
    def broken_add(view) -> None:
        raise OperationalError("the database is gone")

    monkeypatch.setattr(visit_buffer, "add", broken_add)

    with caplog.at_level(logging.ERROR, logger="visits.middleware"):
        response = client.get("/test-visits/plain/")

    assert response.status_code == 200
    assert "Посещение страницы не записано" in caplog.text
