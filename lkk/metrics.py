"""Prometheus metrics of the portal, served at /metrics/ (`lkk.views.metrics`) to the monitoring
system only (a bearer token or an IP allow-list; everyone else gets 404).

Counters and histograms are kept per process. Under gunicorn with several workers,
`PROMETHEUS_MULTIPROC_DIR` (set by `make serve`) makes prometheus-client keep them in files that
every worker's scrape adds up. Gauges that the database knows (tasks waiting in the queue) are
not kept here at all: they are read from the database at scrape time, so every instance reports
the same, true value.
"""

import hmac
import ipaddress
import os
import time
from collections.abc import Callable, Iterator
from datetime import timedelta

from django.conf import settings
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.tasks import DEFAULT_TASK_QUEUE_NAME, TaskResultStatus
from django.utils import timezone
from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from lkk.request_info import client_ip

REQUESTS = Counter(
    "lkk_http_requests_total",
    "HTTP requests answered, by view and status code.",
    ["view", "method", "status"],
)
REQUEST_SECONDS = Histogram(
    "lkk_http_request_duration_seconds",
    "Time to answer an HTTP request, by view.",
    ["view"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
LETTERS = Counter(
    "lkk_letters_total",
    "Letters handed to the mail server (sent) or refused by it (failed).",
    ["outcome"],
)
IMPORTS = Counter(
    "lkk_imports_total",
    "Imports of billing files (the exchange engine), by kind of file and outcome.",
    ["kind", "outcome"],
)
IMPORTED_ROWS = Counter(
    "lkk_import_rows_total",
    "Rows of billing files read by imports, by kind of file and what became of them.",
    ["kind", "result"],
)

_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class MetricsMiddleware:
    """Counts and times every answer by the view's URL name (bounded: never the raw path).

    After WhiteNoise, so static files are not counted; a request no URL matched is `unresolved`.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name or "unnamed") if match is not None else "unresolved"
        method = request.method if request.method in _METHODS else "other"
        REQUESTS.labels(view=view, method=method, status=str(response.status_code)).inc()
        REQUEST_SECONDS.labels(view=view).observe(time.perf_counter() - started)
        return response


class DatabaseCollector(Collector):
    """Gauges the database knows, read when Prometheus scrapes: the same on every instance,
    and right however many processes serve the scrape."""

    def collect(self) -> Iterator[Metric]:
        from django_tasks_db.models import DBTaskResult

        waiting = GaugeMetricFamily(
            "lkk_tasks_waiting",
            "Background tasks waiting to run (letters and batches), by queue.",
            labels=["queue"],
        )
        failed = GaugeMetricFamily(
            "lkk_tasks_failed_last_day",
            "Background tasks that failed in the last 24 hours, by task.",
            labels=["task"],
        )
        ready = (
            DBTaskResult.objects.filter(status=TaskResultStatus.READY)
            .values_list("queue_name")
            .annotate(count=Count("id"))
        )
        counts = dict(ready)
        counts.setdefault(DEFAULT_TASK_QUEUE_NAME, 0)  # an empty queue reads 0, not "absent"
        for queue, count in sorted(counts.items()):
            waiting.add_metric([queue], count)
        day_ago = timezone.now() - timedelta(days=1)
        recent_failures = (
            DBTaskResult.objects.filter(status=TaskResultStatus.FAILED, finished_at__gte=day_ago)
            .values_list("task_path")
            .annotate(count=Count("id"))
        )
        for task_path, count in recent_failures:
            failed.add_metric([task_path], count)
        yield waiting
        yield failed


def metrics_text() -> bytes:
    """The exposition text: this process's (or, in multiprocess mode, every worker's) counters
    and histograms, then the database gauges."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    database = CollectorRegistry(auto_describe=False)
    database.register(DatabaseCollector())
    return generate_latest(registry) + generate_latest(database)


def metrics_allowed(request: HttpRequest) -> bool:
    """The monitoring system shows a bearer token (`METRICS_TOKEN`) or scrapes from an address
    in `METRICS_ALLOWED_IPS` (the client address as `lkk.request_info.client_ip` takes it).
    Neither set: nobody."""
    token = settings.METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    if (
        token
        and header.startswith("Bearer ")
        and hmac.compare_digest(header.removeprefix("Bearer ").encode(), token.encode())
    ):
        return True
    address = client_ip(request)
    if address is None:
        return False
    ip = ipaddress.ip_address(address)
    return any(ip in ipaddress.ip_network(network) for network in settings.METRICS_ALLOWED_IPS)
