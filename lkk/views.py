from django.db import DatabaseError, connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST

from lkk import metrics as portal_metrics


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For the load balancer: 200 while the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


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
