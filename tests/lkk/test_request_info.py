from django.test import RequestFactory

from lkk.request_info import client_ip, client_user_agent, safe_next_url


def _request(**meta):
    return RequestFactory().get("/", **meta)


def test_only_the_connection_address_is_believed_by_default(settings):
    settings.CLIENT_IP_META_KEYS = ["REMOTE_ADDR"]
    request = _request(REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.66")

    assert client_ip(request) == "203.0.113.7"


def test_a_trusted_proxy_header_is_used_when_the_settings_name_it(settings):
    settings.CLIENT_IP_META_KEYS = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    request = _request(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.66, 10.0.0.1")

    assert client_ip(request) == "198.51.100.66"


def test_a_malformed_header_falls_back_to_the_next_trusted_key(settings):
    settings.CLIENT_IP_META_KEYS = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    request = _request(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="<script>")

    assert client_ip(request) == "10.0.0.2"


def test_no_usable_address_is_none(settings):
    settings.CLIENT_IP_META_KEYS = ["REMOTE_ADDR"]

    assert client_ip(_request(REMOTE_ADDR="")) is None


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
