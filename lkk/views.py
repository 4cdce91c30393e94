from django.conf import settings
from django.db import DatabaseError, connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST

from lkk import dev_mailbox as mailbox
from lkk import metrics as portal_metrics
from lkk.cache import cache_is_available
from lkk.context_processors import portal


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For the load balancer: 200 while the database answers, 503 when it does not; the JSON
    names each dependency. A cache outage is "degraded", still 200: every page works without
    the cache, so taking every instance out of service for it would only make things worse."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        database_ok = False
    else:
        database_ok = True
    cache_ok = cache_is_available()
    status = "ok" if database_ok and cache_ok else "degraded" if database_ok else "error"
    return JsonResponse(
        {
            "status": status,
            "database": "ok" if database_ok else "unavailable",
            "cache": "ok" if cache_ok else "unavailable",
        },
        status=200 if database_ok else 503,
    )


def home(request: HttpRequest) -> HttpResponse:
    """The public front page; a signed-in consumer goes straight to their dashboard."""
    if request.user.is_authenticated:
        return redirect("billing:dashboard")
    return render(request, "home.html")


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus metrics, for the monitoring system only: everyone else gets 404, as if there
    were no such page."""
    if not portal_metrics.metrics_allowed(request):
        raise Http404
    return HttpResponse(portal_metrics.metrics_text(), content_type=CONTENT_TYPE_LATEST)


@require_GET
def dev_mailbox(request: HttpRequest) -> HttpResponse:
    """Development only (routed while DEBUG is on): the letters the portal has sent."""
    return render(request, "dev/mailbox.html", {"letters": mailbox.letters()})


@require_GET
def dev_letter(request: HttpRequest, letter_id: str) -> HttpResponse:
    """Development only: one letter as the person would see it."""
    letter = mailbox.letter(letter_id)
    if letter is None:
        raise Http404
    return render(request, "dev/letter.html", {"letter": letter})


def contacts(request: HttpRequest) -> HttpResponse:
    """«Контакты»: the hotline, the offices with their hours, email and the PD officer."""
    return render(request, "contacts.html", {"offices": settings.OPERATOR_OFFICES})


# Error pages, in the site's layout. Django's own handlers render 400 and 500 without the
# request, which the layout needs. The 400 and 500 pages are rendered without the context
# processors: a 400 may refuse a request before the middleware has signed anyone in (a NUL byte,
# a bad host), and the 500's may be the database that failed.
def _page_without_context_processors(
    request: HttpRequest, template: str, status: int
) -> HttpResponse:
    page = loader.get_template(template).render({"request": request, **portal(request)})
    return HttpResponse(page, status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _page_without_context_processors(request, "400.html", 400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return _page_without_context_processors(request, "500.html", 500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a form sent from a page opened too long ago, or without cookies."""
    return render(request, "403_csrf.html", status=403)
