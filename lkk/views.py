from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from lkk.cache import cache_is_available


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
