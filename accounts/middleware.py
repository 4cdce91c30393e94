"""Notes the activity of signed-in sessions for «Где выполнен вход» (see `accounts.signed_in`)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from accounts.signed_in import session_touch


class SessionActivityMiddleware:
    """After authentication: writes a session's last activity at most every few minutes."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session_touch(request)
        return self.get_response(request)
