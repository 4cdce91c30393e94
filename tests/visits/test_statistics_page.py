"""The admin's statistics page: for staff with the permission, numbers right, queries constant."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.conftest import PASSWORD
from visits.models import SLOW_RESPONSE_MS
from visits.services import visit_stats_rebuild

pytestmark = pytest.mark.django_db

STATISTICS = reverse("admin:visits_visit_changelist")


@pytest.fixture
def analyst(django_user_model):
    """A member of staff allowed to see the visit statistics, and nothing else."""
    user = django_user_model.objects.create_user(
        "analyst@ivsbyt.ru", PASSWORD, is_staff=True, last_name="Аналитик"
    )
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="visits", codename="view_visit")
    )
    return user


@pytest.fixture
def clerk(django_user_model):
    """A member of staff without the statistics permission."""
    return django_user_model.objects.create_user(
        "clerk@ivsbyt.ru", PASSWORD, is_staff=True, last_name="Делопроизводитель"
    )


@pytest.fixture
def traffic(make_visits):
    """Yesterday (aggregated) and today (live), with known counts."""
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    make_visits(6, day=yesterday, path="/", ip="192.0.2.1")
    make_visits(2, day=yesterday, path="/login/", ip="192.0.2.2", status=500)
    visit_stats_rebuild(day=yesterday)
    make_visits(3, day=today, path="/profile/", ip="192.0.2.3", duration_ms=2 * SLOW_RESPONSE_MS)
    make_visits(1, day=today, path="/nope/", ip="192.0.2.4", status=404)
    return today, yesterday


def day_row(html: str, day) -> list[str]:
    """The cells of a day's row in the «По дням» table."""
    table = re.search(r'<table id="visits-days">.*?</table>', html, re.S).group(0)
    row = re.search(rf"<th scope=\"row\">{day:%d.%m.%Y}.*?</tr>", table, re.S).group(0)
    return re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)


def test_staff_with_the_permission_see_the_statistics(client, analyst, traffic):
    today, yesterday = traffic
    client.force_login(analyst)

    response = client.get(STATISTICS)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Статистика посещений</h1>" in html
    assert html.count('<svg class="visits-chart"') == 3
    assert day_row(html, yesterday)[:4] == ["8", "2", "2 (25,00 %)", "0 (0,00 %)"]
    assert day_row(html, today)[:5] == ["4", "2", "0 (0,00 %)", "1 (25,00 %)", "3"]


def test_the_page_tables_show_the_period_leaders(client, analyst, traffic):
    client.force_login(analyst)

    html = client.get(STATISTICS).content.decode()

    top = re.search(r'<table id="visits-top-pages">.*?</table>', html, re.S).group(0)
    assert re.findall(r"<code>(.*?)</code>", top) == ["/", "/profile/", "/login/", "/nope/"]
    slow = re.search(r'<table id="visits-slow-pages">.*?</table>', html, re.S).group(0)
    assert re.findall(r"<code>(.*?)</code>", slow) == ["/profile/"]
    errors = re.search(r'<table id="visits-error-pages">.*?</table>', html, re.S).group(0)
    assert re.findall(r"<code>(.*?)</code>", errors) == ["/login/", "/nope/"]


def test_staff_without_the_permission_are_refused(client, clerk):
    client.force_login(clerk)

    assert client.get(STATISTICS).status_code == 403


def test_a_consumer_is_sent_to_the_admin_login(client, alice):
    client.force_login(alice)

    response = client.get(STATISTICS)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_admin_index_links_to_the_statistics_only_for_those_permitted(client, analyst, clerk):
    client.force_login(analyst)
    assert STATISTICS in client.get(reverse("admin:index")).content.decode()

    client.force_login(clerk)
    assert STATISTICS not in client.get(reverse("admin:index")).content.decode()


def test_a_chosen_period_shows_that_many_days(client, analyst):
    client.force_login(analyst)

    response = client.get(STATISTICS, {"days": "7"})

    assert len(response.context["report"].days) == 7


def test_an_unknown_period_falls_back_to_thirty_days_with_a_message(client, analyst):
    client.force_login(analyst)

    response = client.get(STATISTICS, {"days": "100000"})

    assert response.status_code == 200
    assert len(response.context["report"].days) == 30
    html = response.content.decode()
    assert "Выберите один из предложенных периодов" in html
    assert 'aria-invalid="true"' in html


def test_charts_use_no_inline_styles_which_the_csp_forbids(client, analyst, traffic):
    client.force_login(analyst)

    html = client.get(STATISTICS).content.decode()

    charts = re.findall(r"<svg.*?</svg>", html, re.S)
    assert charts
    assert not any("style" in chart for chart in charts)


def test_the_query_count_does_not_grow_with_the_data(
    client, analyst, make_visits, django_assert_num_queries
):
    client.force_login(analyst)
    today = timezone.localdate()
    make_visits(day=today - timedelta(days=1))
    visit_stats_rebuild(day=today - timedelta(days=1))
    client.get(STATISTICS)  # fills the caches a first request fills (content types…)
    with CaptureQueriesContext(connection) as little_data:
        client.get(STATISTICS, {"days": "90"})
    queries_with_little_data = len(little_data)  # the next request clears the log
    for n in range(2, 90):
        for path in ("/a/", "/b/", "/c/"):
            make_visits(2, day=today - timedelta(days=n), path=path, status=500)
        visit_stats_rebuild(day=today - timedelta(days=n))
    for path in ("/d/", "/e/", "/f/"):
        make_visits(3, day=today, path=path, duration_ms=SLOW_RESPONSE_MS)

    with django_assert_num_queries(queries_with_little_data):
        client.get(STATISTICS, {"days": "90"})
