"""Sessions of signed-in people: whether they passed the second factor, kept alive, their
activity noted (see `accounts.signed_in`), their pages kept out of shared caches."""

from collections.abc import Callable

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.middleware import get_user
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.functional import SimpleLazyObject
from django_otp.middleware import OTPMiddleware

from accounts.signed_in import session_keep_alive, session_touch


class SecondFactorMiddleware(OTPMiddleware):
    """django-otp's middleware (`request.user.is_verified()`), the person found and checked for
    the second factor in one lazy step.

    django-otp wraps Django's lazy `request.user` in a lazy object of its own, so every use of
    the person on a page (some seventy) went through both: a thirtieth of a signed-in page's
    work. Once read, the person replaces the lazy object on the request.
    """

    def _install_lazy_accessors(self, request: HttpRequest) -> None:
        super()._install_lazy_accessors(request)  # request.auser, for asynchronous views
        request.user = SimpleLazyObject(  # type: ignore[assignment]  # as Django sets it
            lambda: self._user_found(request)
        )

    def _user_found(self, request: HttpRequest) -> AbstractBaseUser | AnonymousUser:
        """The person, checked for the second factor; from now on `request.user` itself, so
        that each later use skips the lazy object's indirection (3 % of the dashboard's work)."""
        user = self._verify_user_sync(request, get_user(request))
        request.user = user
        return user


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
