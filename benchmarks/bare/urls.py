from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest, HttpResponse
from django.urls import path


def ok(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


def five_queries(request: HttpRequest) -> HttpResponse:
    """Five primary-key reads through the ORM (ContentType's own cache is not used)."""
    names = [ContentType.objects.get(pk=pk).model for pk in range(1, 6)]
    return HttpResponse(" ".join(names))


urlpatterns = [path("ok", ok), path("five-queries", five_queries)]
