"""What the statistics page shows: past days from the aggregates, today counted live.

Three queries whatever the size of the page-view table: the period's daily rows, today's totals
(one Moscow day of the raw table, through the index on time), and the leading pages of the
period, which the database adds up from the daily page rows and today's raw rows, and ranks.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from operator import itemgetter

from django.db import connection
from django.utils import timezone

from visits.models import DailyPageStats, DailyVisitStats, Visit, traffic_counts

PERIOD_DAYS = (7, 30, 90)
DEFAULT_PERIOD_DAYS = 30
PAGES_SHOWN = 10
# In the order of the raw rows' aggregates: both halves of the UNION must list them alike.
PAGE_COUNTS = tuple(traffic_counts())
# Each table's rank column in PAGE_TABLES_SQL; NULL for a page the table does not list.
PAGE_TABLE_RANKS = {"top_pages": "top_rank", "slow_pages": "slow_rank", "error_pages": "error_rank"}
# {day_rows}: the period's rows per day and page (the ORM's SQL); {shown}: PAGES_SHOWN.
PAGE_TABLES_SQL = """
WITH pages AS (
    SELECT path,
           sum(views)::bigint AS views,
           sum(client_errors)::bigint AS client_errors,
           sum(server_errors)::bigint AS server_errors,
           sum(slow_views)::bigint AS slow_views,
           sum(total_duration_ms)::bigint AS total_duration_ms,
           max(max_duration_ms) AS max_duration_ms
    FROM ({day_rows}) AS day_rows
    GROUP BY path
), ranked AS (
    SELECT *,
           row_number() OVER (ORDER BY views DESC, path) AS top_rank,
           row_number() OVER (ORDER BY slow_views DESC, max_duration_ms DESC, path) AS slow_rank,
           row_number() OVER (ORDER BY server_errors DESC, client_errors DESC, path) AS error_rank
    FROM pages
)
SELECT path, views, client_errors, server_errors, slow_views, total_duration_ms, max_duration_ms,
       top_rank,
       CASE WHEN slow_views > 0 THEN slow_rank END AS slow_rank,
       CASE WHEN server_errors + client_errors > 0 THEN error_rank END AS error_rank
FROM ranked
WHERE top_rank <= {shown} OR slow_rank <= {shown} OR error_rank <= {shown}
"""


@dataclass(frozen=True)
class PageTraffic:
    """A page's counts over the period."""

    path: str
    views: int
    client_errors: int
    server_errors: int
    slow_views: int
    total_duration_ms: int
    max_duration_ms: int

    @property
    def avg_duration_ms(self) -> int:
        return round(self.total_duration_ms / self.views) if self.views else 0


@dataclass(frozen=True)
class DayTraffic:
    day: date
    stats: DailyVisitStats | None  # None: the day has not been aggregated (yet)


@dataclass(frozen=True)
class StatisticsReport:
    days: list[DayTraffic]  # oldest first; the last one is today, counted live
    top_pages: list[PageTraffic]
    slow_pages: list[PageTraffic]
    error_pages: list[PageTraffic]

    @property
    def missing_days(self) -> int:
        return sum(1 for day in self.days if day.stats is None)


def statistics_report(*, days: int, today: date | None = None) -> StatisticsReport:
    today = today or timezone.localdate()
    first_day = today - timedelta(days=days - 1)
    past = DailyVisitStats.objects.filter(day__gte=first_day, day__lt=today)
    by_day = {stats.day: stats for stats in past}
    by_day[today] = DailyVisitStats(day=today, **Visit.objects.on_day(today).day_totals())
    period = [first_day + timedelta(days=n) for n in range(days)]
    return StatisticsReport(
        days=[DayTraffic(day=day, stats=by_day.get(day)) for day in period],
        **_page_tables(first_day, today),
    )


def _page_tables(first_day: date, today: date) -> dict[str, list[PageTraffic]]:
    """The pages leading each table of the period: most viewed, slowest, failing.

    Ranked in the database: a period holds thousands of paths (scanners' 404s), and only the
    few leaders should travel to Python.
    """
    past = (
        DailyPageStats.objects.filter(day__gte=first_day, day__lt=today)
        .exclude(path="")  # the days' remainders, not pages
        .values("path", *PAGE_COUNTS)
    )
    day_rows = past.union(Visit.objects.on_day(today).page_totals(), all=True)
    day_rows_sql, params = day_rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(PAGE_TABLES_SQL.format(day_rows=day_rows_sql, shown=PAGES_SHOWN), params)
        columns = [column.name for column in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]

    def leaders(rank: str) -> list[PageTraffic]:
        listed = [row for row in rows if row[rank] is not None and row[rank] <= PAGES_SHOWN]
        return [
            PageTraffic(**{field: row[field] for field in ("path", *PAGE_COUNTS)})
            for row in sorted(listed, key=itemgetter(rank))
        ]

    return {table: leaders(rank) for table, rank in PAGE_TABLE_RANKS.items()}
