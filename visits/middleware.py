"""Records every page view for the site's statistics (policy 3.3–3.4) without slowing it down."""

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from visits.buffer import visit_buffer
from visits.page_views import page_view_from

logger = logging.getLogger(__name__)

# Machines' requests, not page views: the load balancer's health check, the admin's translations,
# what browsers and robots fetch by themselves.
NOT_RECORDED_VIEW_NAMES = frozenset({"healthz", "admin:jsi18n"})
NOT_RECORDED_PATHS = frozenset({"/favicon.ico", "/robots.txt"})
NOT_RECORDED_METHODS = frozenset({"HEAD", "OPTIONS"})


class VisitMiddleware:
    """Hands each page view to the per-process buffer: no query on the request path.

    A failure to record is logged and never breaks the page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.method in NOT_RECORDED_METHODS
            or request.path_info in NOT_RECORDED_PATHS
            or request.path.startswith(settings.STATIC_URL)
        ):
            return self.get_response(request)
        started_at = timezone.now()
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000)
        try:
            match = request.resolver_match
            if match is None or match.view_name not in NOT_RECORDED_VIEW_NAMES:
                visit_buffer.add(
                    page_view_from(
                        request,
                        status=response.status_code,
                        time=started_at,
                        duration_ms=duration_ms,
                    )
                )
        except Exception:
            logger.exception("Посещение страницы не записано")
        return response
