"""What a consumer does in a real browser: link an account, see it, unlink it."""

import pytest
from playwright.sync_api import Page, expect

from billing.models import AccountLink

# Live-server tests empty the tables afterwards; serialized rollback restores the data the
# migrations created, for the tests that come after.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_a_consumer_links_an_account_sees_it_on_the_dashboard_and_unlinks_it(
    page: Page, live_server, alice, account, browser_login
):
    browser_login(alice)
    page.goto(live_server.url + "/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Личный кабинет")
    page.get_by_role("link", name="Привязать лицевой счёт").click()
    page.get_by_label("Номер лицевого счёта").fill("1000 000 001")
    page.get_by_label("Фамилия владельца счёта").check()
    page.get_by_label("Фамилия владельца или номер счётчика").fill("Иванова")
    page.get_by_role("button", name="Привязать").click()
    expect(page.get_by_role("alert")).to_contain_text("Не удалось подтвердить лицевой счёт")

    page.get_by_label("Фамилия владельца или номер счётчика").fill("королева")
    page.get_by_role("button", name="Привязать").click()

    expect(page.get_by_role("status")).to_contain_text("Лицевой счёт № 1000000001 привязан")
    page.get_by_role("link", name="Лицевой счёт № 1000000001").click()
    expect(page.get_by_text("ул. Толмачёва, д. 5, кв. 12")).to_be_visible()
    page.get_by_role("link", name="Отвязать счёт…").click()
    page.get_by_role("button", name="Отвязать").click()

    expect(page.get_by_role("status")).to_contain_text("Лицевой счёт № 1000000001 отвязан")
    expect(page.get_by_role("link", name="Привязать лицевой счёт")).to_be_visible()
    assert not AccountLink.objects.active().exists()
