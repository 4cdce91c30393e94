"""What a member of staff does in a real browser: find the statistics and choose a period."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD
from visits.services import visit_stats_rebuild

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_open_the_statistics_from_the_admin_and_choose_a_week(
    page: Page, live_server, django_user_model, make_visits, browser_login
):
    analyst = django_user_model.objects.create_user(
        "analyst@ivsbyt.ru", PASSWORD, is_staff=True, last_name="Аналитик"
    )
    analyst.user_permissions.add(
        Permission.objects.get(content_type__app_label="visits", codename="view_visit")
    )
    yesterday = timezone.localdate() - timedelta(days=1)
    make_visits(12, day=yesterday, path="/profile/")
    visit_stats_rebuild(day=yesterday)
    browser_login(analyst)

    page.goto(live_server.url + "/admin/")
    page.get_by_role("link", name="Посещения страниц").click()
    page.get_by_label("Период").select_option(label="последние 7 дней")
    page.get_by_role("button", name="Показать").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Статистика посещений")
    expect(
        page.get_by_role("img", name="Просмотры страниц и уникальные IP-адреса по дням")
    ).to_be_visible()
    days = page.get_by_role("table", name="Числа графиков выше")
    expect(days.get_by_role("row")).to_have_count(1 + 7)
    expect(days.get_by_role("row", name=f"{yesterday:%d.%m.%Y}")).to_contain_text("12")
    expect(page.get_by_role("table").filter(has_text="/profile/").first).to_be_visible()
