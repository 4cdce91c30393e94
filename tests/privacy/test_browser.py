"""What a visitor and an administrator do with the policy pages in a real browser."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import Page, expect

from privacy.models import PolicyVersion
from privacy.services import policy_import
from tests.privacy.conftest import POLICY_TEXT, days_from_today

# Live-server tests empty the tables afterwards; serialized rollback restores what data
# migrations created (other apps' reference data) for the tests that come after.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

OPERATOR_TEXT = Path(settings.BASE_DIR) / "privacy" / "seed" / "operator-privacy-policy.md"
NEWER_TEXT = POLICY_TEXT.replace("один год", "90 дней")


def test_the_table_of_contents_takes_the_reader_to_a_section(page: Page, live_server):
    policy_import(
        text=OPERATOR_TEXT.read_text(encoding="utf-8"),
        label="2.0",
        effective_date=days_from_today(0),
        publish=True,
    )
    page.set_viewport_size({"width": 360, "height": 740})

    page.goto(live_server.url + reverse("privacy:current"))

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "ПОЛИТИКА КОНФИДЕНЦИАЛЬНОСТИ ПРИ ИСПОЛЬЗОВАНИИ ЛИЧНОГО КАБИНЕТА"
    )
    contents = page.get_by_role("navigation", name="Содержание")
    expect(contents.get_by_role("link")).to_have_count(9)
    section = page.get_by_role("heading", name="8. РАЗРЕШЕНИЕ СПОРОВ")
    expect(section).not_to_be_in_viewport()

    contents.get_by_role("link", name="8. РАЗРЕШЕНИЕ СПОРОВ").click()

    expect(page).to_have_url(live_server.url + reverse("privacy:current") + "#razdel-8")
    expect(section).to_be_in_viewport()


def test_a_reader_goes_from_the_policy_to_the_archive_and_sees_what_changed(
    page: Page, live_server, make_version
):
    make_version("1.0", effective_in_days=-300)
    make_version("1.1", effective_in_days=-10, body=NEWER_TEXT)

    page.goto(live_server.url + reverse("privacy:current"))
    page.get_by_role("link", name="Все редакции").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Редакции политики обработки персональных данных"
    )
    page.get_by_role("link", name="Что изменилось по сравнению с редакцией 1.0").click()

    expect(page.get_by_role("heading", name="Редакция 1.0 → редакция 1.1")).to_be_visible()
    expect(page.locator("del", has_text="один год")).to_be_visible()
    expect(page.locator("ins", has_text="90 дней")).to_be_visible()

    page.get_by_label("Прежняя редакция").select_option("1.1")
    page.get_by_label("Новая редакция").select_option("1.0")
    page.get_by_role("button", name="Сравнить").click()

    expect(page.get_by_role("heading", name="Редакция 1.1 → редакция 1.0")).to_be_visible()
    expect(page.locator("ins", has_text="один год")).to_be_visible()
    page.get_by_role("link", name="Редакция 1.1").click()
    expect(page.get_by_text("Действующая редакция", exact=True)).to_be_visible()


def test_the_cookie_notice_is_dismissed_without_javascript_and_stays_dismissed(
    browser, live_server
):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    versions_url = live_server.url + reverse("privacy:versions")
    page.goto(versions_url)
    notice = page.get_by_role("region", name="Уведомление о файлах cookie")
    expect(notice).to_contain_text("собирает статистику посещений")

    notice.get_by_role("button", name="Понятно").click()

    expect(page).to_have_url(versions_url)
    expect(notice).to_have_count(0)
    page.goto(live_server.url + reverse("home"))
    expect(page.get_by_role("region", name="Уведомление о файлах cookie")).to_have_count(0)
    context.close()


def test_an_administrator_previews_and_publishes_a_draft(
    page: Page, live_server, admin_user, make_version, browser_login
):
    make_version("1.0", effective_in_days=-300)
    draft = make_version(
        "2.0", published=False, effective_in_days=0, title="Политика в новой редакции"
    )

    browser_login(admin_user)  # the sign-in itself, code included, has browser tests of its own
    page.goto(live_server.url + reverse("admin:privacy_policyversion_change", args=[draft.pk]))
    page.get_by_role("link", name="Предпросмотр").click()
    expect(page.get_by_text("Предпросмотр черновика.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Политика в новой редакции")
    page.get_by_role("link", name="Вернуться к редактированию").click()

    page.get_by_role("button", name="Сохранить и опубликовать").click()

    expect(page.get_by_text("Редакция 2.0 опубликована")).to_be_visible()
    draft.refresh_from_db()
    assert draft.published_by == admin_user
    page.goto(live_server.url + reverse("privacy:current"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Политика в новой редакции")
    expect(page.get_by_text("Редакция 2.0", exact=True)).to_be_visible()
    assert PolicyVersion.objects.current() == draft
