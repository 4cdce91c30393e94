"""Daily aggregates count a Moscow day's page views exactly, and rebuilding a day replaces it."""

from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from visits import services
from visits.models import SLOW_RESPONSE_MS, DailyPageStats, DailyVisitStats
from visits.services import visit_stats_rebuild

pytestmark = pytest.mark.django_db

DAY = date(2026, 3, 10)
MOSCOW = ZoneInfo("Europe/Moscow")


@pytest.fixture
def a_day_of_traffic(make_visits):
    """DAY: 10 views from 3 addresses; 2 server errors, 3 client errors, 4 slow responses."""
    make_visits(4, day=DAY, path="/", ip="192.0.2.1", duration_ms=100)
    make_visits(2, day=DAY, path="/", ip="192.0.2.2", duration_ms=SLOW_RESPONSE_MS)
    make_visits(
        2, day=DAY, path="/requests/<int:pk>/", ip="192.0.2.3", status=500, duration_ms=3000
    )
    make_visits(1, day=DAY, path="/nope/", ip="192.0.2.3", status=404, duration_ms=10)
    make_visits(1, day=DAY, path="/login/", ip="192.0.2.1", status=403, duration_ms=20)
    # The days around it must not leak in.
    make_visits(5, day=DAY - timedelta(days=1), ip="198.51.100.1")
    make_visits(5, day=DAY + timedelta(days=1), ip="198.51.100.2")


def test_a_day_counts_views_unique_addresses_errors_and_slow_responses(a_day_of_traffic):
    stats = visit_stats_rebuild(day=DAY)

    assert (stats.views, stats.unique_ips) == (10, 3)
    assert (stats.server_errors, stats.client_errors, stats.slow_views) == (2, 2, 4)
    assert stats.total_duration_ms == 4 * 100 + 2 * SLOW_RESPONSE_MS + 2 * 3000 + 10 + 20
    assert stats.max_duration_ms == 3000
    assert stats.server_error_percent == 20


def test_a_day_counts_each_page(a_day_of_traffic):
    visit_stats_rebuild(day=DAY)

    pages = {page.path: page for page in DailyPageStats.objects.filter(day=DAY)}
    assert set(pages) == {"/", "/requests/<int:pk>/", "/nope/", "/login/"}
    assert (pages["/"].views, pages["/"].slow_views, pages["/"].avg_duration_ms) == (6, 2, 400)
    assert (pages["/requests/<int:pk>/"].server_errors, pages["/nope/"].client_errors) == (2, 1)


def test_a_day_is_a_moscow_day(make_visits):
    # 00:30 in Moscow is still the previous day in UTC.
    make_visits(at=datetime(2026, 3, 10, 0, 30, tzinfo=MOSCOW))
    make_visits(at=datetime(2026, 3, 10, 23, 59, tzinfo=MOSCOW))
    make_visits(at=datetime(2026, 3, 11, 0, 0, tzinfo=MOSCOW))

    assert visit_stats_rebuild(day=date(2026, 3, 10)).views == 2
    assert visit_stats_rebuild(day=date(2026, 3, 11)).views == 1


def test_rebuilding_a_day_replaces_it(a_day_of_traffic, make_visits):
    visit_stats_rebuild(day=DAY)
    make_visits(3, day=DAY, path="/late/")

    visit_stats_rebuild(day=DAY)

    assert DailyVisitStats.objects.get(day=DAY).views == 13
    assert DailyPageStats.objects.filter(day=DAY).count() == 5
    assert DailyPageStats.objects.get(day=DAY, path="/late/").views == 3


def test_a_day_without_views_is_recorded_as_zero():
    stats = visit_stats_rebuild(day=DAY)

    assert (stats.views, stats.unique_ips, stats.max_duration_ms) == (0, 0, 0)
    assert not DailyPageStats.objects.exists()


def test_a_day_keeps_its_leading_pages_and_sums_the_rest(monkeypatch, make_visits):
    monkeypatch.setattr(services, "PAGES_KEPT_PER_DAY", 1)
    make_visits(5, day=DAY, path="/popular/")
    make_visits(1, day=DAY, path="/slow/", duration_ms=SLOW_RESPONSE_MS)
    make_visits(1, day=DAY, path="/failing/", status=502)
    make_visits(2, day=DAY, path="/scanner-1/", status=404)
    make_visits(1, day=DAY, path="/scanner-2/", status=404)

    visit_stats_rebuild(day=DAY)

    pages = {page.path: page for page in DailyPageStats.objects.filter(day=DAY)}
    assert set(pages) == {"/popular/", "/slow/", "/failing/", "/scanner-1/", ""}
    assert (pages[""].views, pages[""].client_errors) == (1, 1)
    assert sum(page.views for page in pages.values()) == 10


def test_the_command_aggregates_the_days_after_the_last_aggregated_through_yesterday(make_visits):
    today = timezone.localdate()
    make_visits(2, day=today - timedelta(days=5))
    make_visits(3, day=today - timedelta(days=1))
    make_visits(7, day=today)
    output = StringIO()

    call_command("aggregate_visits", stdout=output)

    days = dict(DailyVisitStats.objects.values_list("day", "views"))
    assert days == {
        today - timedelta(days=n): views for n, views in [(5, 2), (4, 0), (3, 0), (2, 0), (1, 3)]
    }
    assert "за 5 дн." in output.getvalue()

    call_command("aggregate_visits", stdout=output)  # from cron again, the same day

    assert DailyVisitStats.objects.count() == 5
    assert "Собирать нечего" in output.getvalue()


def test_the_command_rebuilds_a_given_range(a_day_of_traffic):
    call_command("aggregate_visits", since=DAY, until=DAY, stdout=StringIO())
    call_command("aggregate_visits", since=DAY, until=DAY, stdout=StringIO())

    assert list(DailyVisitStats.objects.values_list("day", "views")) == [(DAY, 10)]
