"""Benchmark: the visit statistics on ten million page views (issue 6).

Run it against an empty development database, never production:

    DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/lkk_dev \
        .venv/bin/python benchmarks/visit_stats.py [--rows 10000000] [--keep]

It generates page views over the retention period in SQL (generate_series), aggregates the past
days as cron would, times the statistics page (its queries and its rendering, for 7, 30 and 90
days), the live "today" queries, the cost of recording one request and a retention run, prints the
numbers, and deletes everything it generated unless --keep is given.
"""

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lkk.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.admin import site  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from visits import middleware as visit_middleware  # noqa: E402
from visits.buffer import VisitBuffer  # noqa: E402
from visits.middleware import VisitMiddleware  # noqa: E402
from visits.models import DailyPageStats, DailyVisitStats, Visit  # noqa: E402
from visits.services import visits_prune  # noqa: E402
from visits.statistics import PERIOD_DAYS, statistics_report  # noqa: E402

ROUTES = [
    "/",
    "/login/",
    "/logout/",
    "/register/",
    "/profile/",
    "/accounts/",
    "/accounts/<int:pk>/",
    "/accounts/link/",
    "/consents/",
    "/consents/<str:code>/",
    "/requests/",
    "/requests/new/",
    "/requests/<int:pk>/",
    "/privacy/",
    "/privacy/<str:label>/",
    "/feedback/",
    "/feedback/<int:pk>/",
    "/password/reset/",
    "/password/reset/<uidb64>/<token>/",
    "/confirm/<str:token>/",
    "/unsubscribe/<str:token>/",
    "/admin/",
    "/admin/login/",
    "/admin/<app_label>/",
    "/admin/accounts/user/",
    "/admin/accounts/user/<path:object_id>/change/",
    "/admin/consents/consentrecord/",
    "/admin/visits/visit/",
    "/readings/",
    "/readings/new/",
    "/bills/",
    "/bills/<int:pk>/",
    "/payments/",
    "/help/",
    "/contacts/",
    "/news/",
    "/news/<slug:slug>/",
    "/calendar/",
    "/documents/",
    "/documents/<int:pk>/",
]
BROWSERS = [
    "Chrome",
    "Chrome Mobile",
    "Yandex Browser",
    "Safari",
    "Mobile Safari",
    "Firefox",
    "Edge",
]

# Times grow with the row number, as the buffer appends them; a minute of jitter between
# processes. Popular pages are much more popular (the square of a uniform number), 3 % of
# the views are scanners' unique 404s, a few answers fail or are slow.
GENERATE = """
INSERT INTO visits_visit (time, ip, user_id, path, referrer, browser, status, duration_ms)
SELECT
    %(start)s + (g::float8 / %(rows)s) * %(span)s * interval '1 second'
        - random() * interval '1 minute',
    '10.0.0.0'::inet + (floor(power(random(), 1.5) * 300000))::bigint,
    NULL,
    CASE WHEN scanner THEN '/scan/' || md5(g::text)
         ELSE (%(routes)s::text[])[1 + floor(power(random(), 2) * %(route_count)s)::int] END,
    CASE WHEN random() < 0.1 THEN 'https://yandex.ru/search/' ELSE '' END,
    (%(browsers)s::text[])[1 + floor(random() * %(browser_count)s)::int],
    CASE WHEN scanner THEN 404
         WHEN roll < 0.003 THEN 500
         WHEN roll < 0.008 THEN 403
         WHEN roll < 0.018 THEN 404
         WHEN roll < 0.07 THEN 302
         ELSE 200 END,
    (15 + 4000 * power(random(), 12))::int
FROM (
    SELECT g, random() < 0.03 AS scanner, random() AS roll
    FROM generate_series(1, %(rows)s) AS g
) AS rows
"""


def timed(function: Callable[[], object], repeat: int = 1) -> tuple[float, float, object]:
    """Median and worst wall time in milliseconds, and the last result."""
    durations, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        durations.append((time.perf_counter() - started) * 1000)
    return statistics.median(durations), max(durations), result


def relation_size(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size(%s))", [name])
        return cursor.fetchone()[0]


def index_sizes() -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexrelname, pg_size_pretty(pg_relation_size(indexrelid))"
            " FROM pg_stat_user_indexes WHERE relname = 'visits_visit' ORDER BY indexrelname"
        )
        return ", ".join(f"{name} {size}" for name, size in cursor.fetchall())


def generate(rows: int) -> None:
    span = settings.VISIT_RETENTION_DAYS * 86400
    start = timezone.now() - timedelta(seconds=span)
    ms, _, _ = timed(
        lambda: connection.cursor().execute(
            GENERATE,
            {
                "start": start,
                "span": span,
                "rows": rows,
                "routes": ROUTES,
                "route_count": len(ROUTES),
                "browsers": BROWSERS,
                "browser_count": len(BROWSERS),
            },
        )
    )
    print(
        f"generated {rows:,} page views over {settings.VISIT_RETENTION_DAYS} days: "
        f"{ms / 1000:.1f} s"
    )
    ms, _, _ = timed(lambda: connection.cursor().execute("VACUUM ANALYZE visits_visit"))
    print(f"VACUUM ANALYZE: {ms / 1000:.1f} s")
    print(f"visits_visit: {relation_size('visits_visit')} in all; indexes: {index_sizes()}")


def aggregate() -> None:
    ms, _, _ = timed(lambda: call_command("aggregate_visits", verbosity=0))
    days = DailyVisitStats.objects.count()
    print(
        f"aggregate_visits, {days} days: {ms / 1000:.1f} s ({ms / days:.0f} ms a day); "
        f"{DailyPageStats.objects.count():,} page rows"
    )


def statistics_page() -> None:
    request = RequestFactory().get("/admin/visits/visit/")
    # A superuser, saved (the context processors look people up), but never signed in: the
    # benchmark measures the page, not the login.
    request.user = User.objects.create(
        email="benchmark@example.ru", is_staff=True, is_superuser=True
    )
    try:
        statistics_page_for(request)
    finally:
        request.user.delete()


def statistics_page_for(request: HttpRequest) -> None:
    statistics_view = site.get_model_admin(Visit).statistics_view
    for days in PERIOD_DAYS:
        with CaptureQueriesContext(connection) as queries:
            median, worst, _ = timed(lambda days=days: statistics_report(days=days), repeat=5)
        per_run = len(queries) // 5
        per_query = ", ".join(q["time"] for q in queries.captured_queries[-per_run:])
        request.GET = {"days": str(days)}
        page_median, page_worst, _ = timed(lambda: statistics_view(request).render(), repeat=5)
        print(
            f"statistics for {days:>2} days: queries {median:.0f} ms (worst {worst:.0f}; "
            f"{per_run} queries, last run's seconds: {per_query}); "
            f"whole page {page_median:.0f} ms (worst {page_worst:.0f})"
        )
    # Today so far, and a whole day (yesterday): what "today" costs just before midnight.
    today = timezone.localdate()
    for label, day in [("today so far", today), ("a whole day", today - timedelta(days=1))]:
        views = Visit.objects.on_day(day)
        totals_ms, _, totals = timed(views.day_totals, repeat=5)
        pages_ms, _, pages = timed(lambda views=views: list(views.page_totals()), repeat=5)
        print(
            f"live, {label} ({totals['views']:,} views): totals {totals_ms:.0f} ms, "
            f"per page {pages_ms:.0f} ms ({len(pages):,} paths)"
        )
    plan = Visit.objects.on_day(today).only("ip").explain().splitlines()
    print(f"a day's rows are read by: {plan[0].strip()}")


def request_cost() -> None:
    """What recording adds to one request: building the page view and appending it."""
    buffer = VisitBuffer(write_in_background=False)
    middleware = VisitMiddleware(lambda request: HttpResponse("ok"))
    factory = RequestFactory()
    requests = [
        factory.get(f"/requests/{n}/?q=1", HTTP_USER_AGENT="Mozilla/5.0 Chrome/126.0")
        for n in range(10_000)
    ]
    original, visit_middleware.visit_buffer = visit_middleware.visit_buffer, buffer
    try:
        ms, _, _ = timed(lambda: [middleware(request) for request in requests])
    finally:
        visit_middleware.visit_buffer = original
    print(f"recording one request: {ms * 1000 / len(requests):.1f} µs, no query")
    flush_ms, _, written = timed(buffer.flush)
    print(
        f"writing {written:,} buffered views: {flush_ms:.0f} ms "
        f"({flush_ms * 1000 / written:.0f} µs a view)"
    )


def prune() -> None:
    cutoff = timezone.now() - timedelta(days=settings.VISIT_RETENTION_DAYS - 10)
    ms, _, deleted = timed(lambda: visits_prune(older_than=cutoff))
    print(f"prune_visits: {deleted:,} views (10 days) in {ms / 1000:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the generated data")
    arguments = parser.parse_args()
    if not settings.DEBUG:
        sys.exit("Only with DEBUG=true: the benchmark fills and then empties the visits tables.")
    if Visit.objects.exists() or DailyVisitStats.objects.exists():
        sys.exit("The visits tables are not empty: run the benchmark on an empty database.")
    try:
        generate(arguments.rows)
        aggregate()
        statistics_page()
        request_cost()
        prune()
    finally:
        if not arguments.keep:
            with connection.cursor() as cursor:
                cursor.execute(
                    "TRUNCATE visits_visit, visits_dailyvisitstats, visits_dailypagestats"
                )
            print("generated data deleted")


if __name__ == "__main__":
    main()
