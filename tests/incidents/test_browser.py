"""What a consumer does in a real browser: read an incident notice and dismiss its banner."""

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page, expect

from incidents.models import IncidentNotification

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page: Page, live_server, user) -> None:
    """A session made by Django's test client, handed to the browser as its cookie."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_a_consumer_reads_an_incident_notice_and_dismisses_its_banner(
    page: Page, live_server, alice, make_incident
):
    notice = IncidentNotification.objects.create(incident=make_incident(), user=alice)
    _log_in(page, live_server, alice)

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
