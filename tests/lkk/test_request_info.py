import ipaddress
from pathlib import Path
from unittest import mock

import pytest
from django.test import RequestFactory
from django.urls import reverse

from lkk.request_info import ADDRESS_MAX_LENGTH, client_ip, client_user_agent, safe_next_url


def _request(**meta):
    return RequestFactory().get("/", **meta)


def test_an_address_is_parsed_once_per_process(settings):
    """Every page view records the address: parsing it each time was a quarter of what recording a
    view cost the request."""
    settings.TRUSTED_PROXY_COUNT = 0
    request = _request(REMOTE_ADDR="192.0.2.251")

    with mock.patch.object(ipaddress, "ip_address", wraps=ipaddress.ip_address) as parse:
        assert client_ip(request) == "192.0.2.251"
        assert client_ip(request) == "192.0.2.251"

    assert parse.call_count <= 1  # none if an earlier test of this process gave the address


def test_a_value_longer_than_any_address_is_no_address_and_is_not_remembered(settings):
    """What a misconfigured proxy count lets a client write must not fill the memo."""
    settings.TRUSTED_PROXY_COUNT = 1
    junk = "1" * (ADDRESS_MAX_LENGTH + 1)
    request = _request(REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=junk)

    with mock.patch.object(ipaddress, "ip_address", wraps=ipaddress.ip_address) as parse:
        assert client_ip(request) is None

    parse.assert_not_called()


def test_without_trusted_proxies_only_the_connection_address_is_believed(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = _request(REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.66")

    assert client_ip(request) == "203.0.113.7"


def test_behind_one_proxy_the_address_it_appended_is_the_clients(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client wrote "1.2.3.4" itself; the proxy appended the address it saw.
    request = _request(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.66")

    assert client_ip(request) == "198.51.100.66"


def test_behind_two_proxies_the_outer_ones_entry_is_the_clients(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    request = _request(
        REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.66, 10.0.0.1"
    )

    assert client_ip(request) == "198.51.100.66"


def test_a_request_that_skipped_the_proxies_is_known_by_its_connection(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    request = _request(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="1.2.3.4")

    assert client_ip(request) == "203.0.113.9"


def test_a_malformed_forwarded_address_is_no_address(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = _request(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="<script>")

    assert client_ip(request) is None


def test_no_usable_address_is_none(settings):
    settings.TRUSTED_PROXY_COUNT = 0

    assert client_ip(_request(REMOTE_ADDR="")) is None


@pytest.mark.django_db
def test_a_forged_forwarded_address_does_not_escape_the_sign_in_lockout(client, settings):
    """Axes counts failures per (address, IP) with the same function: writing a new left-most
    address into X-Forwarded-For on every try gets no fresh allowance."""
    settings.TRUSTED_PROXY_COUNT = 1
    settings.AXES_FAILURE_LIMIT = 3
    for attempt in range(3):
        client.post(
            reverse("accounts:login"),
            {"username": "victim@example.ru", "password": "wrong"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}, 198.51.100.66",
        )

    response = client.post(
        reverse("accounts:login"),
        {"username": "victim@example.ru", "password": "wrong"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="192.0.2.99, 198.51.100.66",
    )

    assert response.status_code == 429


def test_the_user_agent_is_cut_to_what_is_stored():
    assert client_user_agent(_request(HTTP_USER_AGENT="A" * 1000)) == "A" * 512
    assert client_user_agent(_request()) == ""


def test_a_next_address_on_this_site_is_followed():
    request = RequestFactory().post("/", {"next": "/kabinet/obratnaya-svyaz/?page=2"})

    assert safe_next_url(request, default="/") == "/kabinet/obratnaya-svyaz/?page=2"


def test_a_next_address_of_another_site_is_never_followed():
    for outside in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        request = RequestFactory().post("/", {"next": outside})

        assert safe_next_url(request, default="/fallback/") == "/fallback/"


def test_without_a_next_address_the_default_is_used():
    assert safe_next_url(RequestFactory().get("/"), default="/fallback/") == "/fallback/"
    assert safe_next_url(RequestFactory().get("/", {"next": "/a/"}), default="/") == "/a/"


def test_no_other_code_reads_the_client_address_itself():
    """Every limit and every recorded IP goes through client_ip: a second reader of REMOTE_ADDR
    or X-Forwarded-For would be a second, probably wrong, answer."""
    root = Path(__file__).resolve().parents[2]
    allowed = {root / "lkk" / "request_info.py", root / "lkk" / "settings.py"}
    packages = [
        top for top in root.iterdir() if (top / "__init__.py").exists() and top.name != "tests"
    ]
    readers = [
        str(path.relative_to(root))
        for package in packages
        for path in package.rglob("*.py")
        if path not in allowed
        and any(
            marker in path.read_text(encoding="utf-8")
            for marker in ("REMOTE_ADDR", "X_FORWARDED_FOR", "X-Forwarded-For")
        )
    ]

    assert readers == []
