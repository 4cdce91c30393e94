"""Where a request came from, and where it may go back to: one answer for every app."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

USER_AGENT_MAX_LENGTH = 512


def client_ip(request: HttpRequest) -> str | None:
    """The client's IP address, trusting only the request keys the settings name.

    `CLIENT_IP_META_KEYS` (env `TRUSTED_PROXY_IP_HEADERS`) is `REMOTE_ADDR` unless
    the deployment sits behind a proxy that sets the header; a header anybody can send is never
    believed otherwise. For a forwarded list the left-most address is the client's.
    """
    for key in settings.CLIENT_IP_META_KEYS:
        value = request.META.get(key, "")
        candidate = value.split(",")[0].strip()
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return None


def client_user_agent(request: HttpRequest) -> str:
    return request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX_LENGTH]


def safe_next_url(request: HttpRequest, *, default: str) -> str:
    """The `next` the form or link carries (POST first), if it leads to this site; else
    `default`. An outside address is never followed: that would make the site an open redirect.
    """
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default
