"""Where a request came from: one answer for consents, login lockouts, link attempts and visits."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest

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
