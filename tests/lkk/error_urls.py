"""The portal's URLs and a few that fail on purpose, for the tests of the error pages."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.urls import path

from lkk import urls


def bad_request(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("a malformed request")


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


handler400 = urls.handler400
handler403 = urls.handler403
handler404 = urls.handler404
handler500 = urls.handler500

urlpatterns = [
    path("oshibka/400/", bad_request),
    path("oshibka/403/", forbidden),
    path("oshibka/500/", broken),
    *urls.urlpatterns,
]
