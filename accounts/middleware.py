"""Sessions of signed-in people: kept alive, their activity noted (see `accounts.signed_in`),
their pages kept out of shared caches."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers

from accounts.signed_in import session_keep_alive, session_touch


class SessionActivityMiddleware:
    """After authentication: saves a session again at most once a minute, writes its last
    activity at most every few minutes, and marks a signed-in person's answers private."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session_keep_alive(request)
        session_touch(request)
        response = self.get_response(request)
        if request.user.is_authenticated:
            # Whatever the view says, a page with a person's data is theirs alone.
            patch_cache_control(response, private=True)
            patch_vary_headers(response, ["Cookie"])
        return response
