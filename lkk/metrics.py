"""Prometheus metrics of the portal, served at /metrics/ (`lkk.views.metrics`) to the monitoring
system only (a bearer token or an IP allow-list; everyone else gets 404).

Counters and histograms are kept per process. Under gunicorn with several workers,
`PROMETHEUS_MULTIPROC_DIR` (set by `make serve`) makes prometheus-client keep them in files that
every worker's scrape adds up. Gauges that the database knows (tasks waiting in the queue) are
not kept here at all: they are read from the database at scrape time, so every instance reports
the same, true value.
"""

from prometheus_client import Counter, Histogram

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
    "lkk_billing_imports_total",
    "Imports of the billing registry, by outcome.",
    ["outcome"],
)
IMPORTED_ROWS = Counter(
    "lkk_billing_import_rows_total",
    "Rows of the billing registry read by imports, by what became of them.",
    ["result"],
)
