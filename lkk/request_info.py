"""Where a request came from, and where it may go back to: one answer for every app."""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

USER_AGENT_MAX_LENGTH = 512
# An IPv6 address written out in full with an IPv4 tail and a zone is under this; nothing longer
# is an address, and nothing longer is kept in the memo of parsed addresses.
ADDRESS_MAX_LENGTH = 64


def client_ip(request: HttpRequest) -> str | None:
    """The client's IP address: the one place every limit and every record takes it from.

    With `TRUSTED_PROXY_COUNT` = 0 (no proxy) it is the connection's address. Behind N proxies,
    each appends the address it was connected from to `X-Forwarded-For`; anything to the left of
    what they appended was written by the client and is never believed. So the client is the
    N-th address from the right; a request with fewer addresses did not come through all the
    proxies, and its connection's address is taken.
    """
    candidate = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            candidate = forwarded[-proxies]
    if len(candidate) > ADDRESS_MAX_LENGTH:
        return None
    return _normalised_ip(candidate)


@lru_cache(maxsize=4096)
def _normalised_ip(candidate: str) -> str | None:
    """The address as PostgreSQL's inet writes it, None if it is not one. Worked out once per
    address and process: parsing it was a quarter of what recording a page view cost the request."""
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
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
