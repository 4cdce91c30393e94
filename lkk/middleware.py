"""Requests that no page of the site can answer are refused before any code sees them."""

from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse


class RejectNulBytesMiddleware:
    """A NUL byte (`%00`) in the path, a query parameter, a cookie or a header answers 400.

    PostgreSQL text cannot hold NUL: such a value reaching a query (an object's number in the
    URL, an admin list filter, a session cookie) raised an error and a 500. Forms refuse it in
    what they validate (Django's ProhibitNullCharactersValidator); everything else stops here.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request):
            raise BadRequest("NUL byte in the request")
        return self.get_response(request)


def _has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path:
        return True
    for key, values in request.GET.lists():
        if "\x00" in key or any("\x00" in value for value in values):
            return True
    if any("\x00" in key or "\x00" in value for key, value in request.COOKIES.items()):
        return True
    return any(
        "\x00" in value
        for key, value in request.META.items()
        if key.startswith("HTTP_") and isinstance(value, str)
    )
