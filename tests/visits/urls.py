"""The site's URLs plus a few pages whose behaviour the visits tests control."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def plain_page(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """A page that never looks at the user (as a redirect or a 404 does not)."""
    return HttpResponse("страница")


def greeting_page(request: HttpRequest) -> HttpResponse:
    """A page that shows who is signed in, as every page built on base.html does."""
    return HttpResponse(f"Здравствуйте, {request.user}")


def broken_page(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug in a view")


urlpatterns = [
    path("test-visits/requests/<int:pk>/", plain_page, name="test_request_detail"),
    path("test-visits/plain/", plain_page, name="test_plain"),
    path("test-visits/greeting/", greeting_page, name="test_greeting"),
    path("test-visits/broken/", broken_page, name="test_broken"),
    path("", include("lkk.urls")),
]
