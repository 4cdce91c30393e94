"""Writes behind the statistics: rebuilding a day's aggregates and deleting expired page views."""

from datetime import date, datetime

from django.db import transaction

from lkk.pruning import BATCH_SIZE, delete_in_batches
from visits.models import DailyPageStats, DailyVisitStats, Visit

# A day keeps its leading pages by views, by errors and by slow responses, three times as many as
# a table of the statistics page shows; the rest are summed under an empty path. Paths that match
# no page (scanners' 404s) are unbounded: this keeps the statistics page's reads bounded too.
PAGES_KEPT_PER_DAY = 30
# Counts that add up across pages; the longest response is their maximum instead.
ADDITIVE_COUNTS = ("views", "client_errors", "server_errors", "slow_views", "total_duration_ms")


@transaction.atomic
def visit_stats_rebuild(*, day: date) -> DailyVisitStats:
    """Replace the aggregates of a Moscow day with counts from its page views; safe to re-run."""
    views = Visit.objects.on_day(day)
    DailyVisitStats.objects.filter(day=day).delete()
    DailyPageStats.objects.filter(day=day).delete()
    stats = DailyVisitStats.objects.create(day=day, **views.day_totals())
    DailyPageStats.objects.bulk_create(
        DailyPageStats(day=day, **page) for page in _leading_pages(list(views.page_totals()))
    )
    return stats


def _leading_pages(pages: list[dict]) -> list[dict]:
    kept_paths: set[str] = set()
    for count in ("views", "server_errors", "client_errors", "slow_views"):
        ranked = sorted(
            (page for page in pages if page[count]), key=lambda page: (-page[count], page["path"])
        )
        kept_paths.update(page["path"] for page in ranked[:PAGES_KEPT_PER_DAY])
    kept = [page for page in pages if page["path"] in kept_paths]
    rest = [page for page in pages if page["path"] not in kept_paths]
    if rest:
        kept.append(
            {
                "path": "",
                **{count: sum(page[count] for page in rest) for count in ADDITIVE_COUNTS},
                "max_duration_ms": max(page["max_duration_ms"] for page in rest),
            }
        )
    return kept


def visits_prune(*, older_than: datetime, batch_size: int = BATCH_SIZE) -> int:
    """Delete page views older than the moment, in batches; returns how many were deleted."""
    return delete_in_batches(Visit.objects.older_than(older_than), batch_size=batch_size)
