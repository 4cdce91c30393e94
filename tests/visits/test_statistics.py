"""The statistics report: past days from the aggregates, today live, pages over the whole period."""

from datetime import timedelta

import pytest
from django.utils import timezone

from visits.models import SLOW_RESPONSE_MS
from visits.services import visit_stats_rebuild
from visits.statistics import statistics_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


def test_past_days_come_from_the_aggregates_and_today_is_counted_live(make_visits, today):
    make_visits(3, day=today - timedelta(days=2), ip="192.0.2.1")
    visit_stats_rebuild(day=today - timedelta(days=2))
    make_visits(2, day=today - timedelta(days=2))  # after aggregation: not shown until rebuilt
    make_visits(4, day=today, ip="192.0.2.7")
    make_visits(1, day=today, ip="192.0.2.8", status=500)

    report = statistics_report(days=7, today=today)

    assert [row.day for row in report.days] == [today - timedelta(days=n) for n in range(6, -1, -1)]
    by_day = {row.day: row.stats for row in report.days}
    assert by_day[today - timedelta(days=2)].views == 3
    assert (by_day[today].views, by_day[today].unique_ips, by_day[today].server_errors) == (5, 2, 1)


def test_days_not_aggregated_are_reported_missing(today):
    report = statistics_report(days=7, today=today)

    assert report.missing_days == 6  # every past day; today is always counted
    assert report.days[-1].stats.views == 0


def test_pages_add_up_past_days_and_today(make_visits, today):
    yesterday = today - timedelta(days=1)
    make_visits(5, day=yesterday, path="/a/")
    make_visits(2, day=yesterday, path="/b/")
    visit_stats_rebuild(day=yesterday)
    make_visits(4, day=today, path="/b/")
    make_visits(1, day=today, path="/c/")

    report = statistics_report(days=7, today=today)

    assert [(page.path, page.views) for page in report.top_pages] == [
        ("/b/", 6),
        ("/a/", 5),
        ("/c/", 1),
    ]


def test_slow_and_failing_pages_are_ranked_by_their_problem(make_visits, today):
    make_visits(3, day=today, path="/fast/", duration_ms=10)
    make_visits(1, day=today, path="/slowish/", duration_ms=SLOW_RESPONSE_MS)
    make_visits(2, day=today, path="/slowest/", duration_ms=5 * SLOW_RESPONSE_MS)
    make_visits(1, day=today, path="/broken/", status=500)
    make_visits(3, day=today, path="/missing/", status=404)

    report = statistics_report(days=7, today=today)

    assert [page.path for page in report.slow_pages] == ["/slowest/", "/slowish/"]
    assert report.slow_pages[0].avg_duration_ms == 5 * SLOW_RESPONSE_MS
    assert [page.path for page in report.error_pages] == ["/broken/", "/missing/"]


def test_a_days_remainder_is_not_shown_as_a_page(make_visits, today, monkeypatch):
    from visits import services

    monkeypatch.setattr(services, "PAGES_KEPT_PER_DAY", 1)
    yesterday = today - timedelta(days=1)
    make_visits(3, day=yesterday, path="/kept/")
    make_visits(1, day=yesterday, path="/folded/")
    visit_stats_rebuild(day=yesterday)

    report = statistics_report(days=7, today=today)

    assert [page.path for page in report.top_pages] == ["/kept/"]
