"""What a consumer does in a real browser: read an incident notice and dismiss its banner."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from incidents.models import IncidentNotification

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_consumer_reads_an_incident_notice_and_dismisses_its_banner(
    page: Page, live_server, alice, make_incident, browser_login
):
    notice = IncidentNotification.objects.create(incident=make_incident(), user=alice)
    browser_login(alice)

    page.goto(live_server.url + reverse("consents:mine"))
    banner = page.get_by_role("region", name="Важное сообщение о ваших персональных данных")
    expect(banner).to_be_visible()
    banner.get_by_role("link", name="Прочитать сообщение").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Сообщение об инциденте с персональными данными"
    )
    expect(page.get_by_text("Посторонний получил доступ к адресам")).to_be_visible()

    page.goto(live_server.url + reverse("consents:mine"))
    banner.get_by_role("button", name="Прочитано, скрыть").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Мои согласия")
    expect(page.get_by_role("region", name="Важное сообщение")).to_have_count(0)
    notice.refresh_from_db()
    assert notice.read_at is not None
