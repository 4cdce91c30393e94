"""In a real browser: a consumer files a blocking request, a PD officer works it to completion in
the admin, and the consumer reads the answer."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from pdrequests.models import SubjectRequest
from tests.conftest import app_code
from tests.staff.conftest import STAFF_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANSWER = "Фамилия проверена по договору: она указана верно. Блокирование снято."


def _act(page: Page, button: str, comment: str, **fields: str) -> None:
    """Press an action's button on the request's page, fill its form and confirm."""
    page.get_by_role("link", name=button, exact=True).click()
    for label, value in fields.items():
        page.get_by_label(label).fill(value)
    page.get_by_label("Комментарий").fill(comment)
    page.get_by_role("button", name=button, exact=True).click()


def test_a_blocking_request_is_worked_in_the_admin_and_the_consumer_reads_the_answer(
    page: Page, live_server, alice, pd_officer, browser_login, enrol
):
    # The consumer files a blocking request: their data is blocked at once.
    browser_login(alice)
    page.goto(live_server.url + reverse("pdrequests:request_new"))
    page.get_by_role("link", name="Блокирование").click()  # the kind first, then its form
    page.get_by_label("персональные данные недостоверны").check()
    page.get_by_label("Суть обращения").fill("Фамилия указана с ошибкой.")
    page.get_by_role("button", name="Подать обращение").click()
    request = SubjectRequest.objects.get()
    assert request.blocking_in_force
    consumer_page = page.url

    # A PD officer signs in to the admin with their password and app code, and finds it.
    officers_app, _ = enrol(pd_officer)
    page.context.clear_cookies()
    page.goto(live_server.url + reverse("admin:index"))
    page.get_by_label(re.compile("почт", re.IGNORECASE)).fill(pd_officer.email)
    page.get_by_label("Пароль").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.get_by_label("Код:", exact=True).fill(app_code(officers_app))
    page.get_by_role("button", name="Войти").click()
    page.get_by_role("link", name="Сводка по обращениям ПДн").click()
    expect(page.get_by_role("row", name="Срок позже 1")).to_be_visible()
    page.get_by_role("link", name="Все обращения").click()
    page.get_by_role("link", name=request.number).click()
    expect(page.get_by_text("обращение подано")).to_be_visible()

    # An action needs its comment.
    page.get_by_role("link", name="Взять в работу", exact=True).click()
    page.get_by_role("button", name="Взять в работу").click()
    expect(
        page.locator(".errorlist").get_by_text(
            "Напишите комментарий: без него действие не выполняется."
        )
    ).to_be_visible()
    page.get_by_label("Комментарий").fill("Проверяю данные по договору.")
    page.get_by_role("button", name="Взять в работу").click()
    expect(page.get_by_text("взято в работу. Состояние: в работе")).to_be_visible()
    expect(page.get_by_text("alice@example.ru")).to_be_visible()  # the assignee sees the data

    # While the data is blocked, completing is not offered: first the blocking is lifted.
    expect(page.get_by_role("link", name="Исполнить", exact=True)).to_have_count(0)
    _act(page, "Снять блокирование", "Данные верны.")
    _act(page, "Исполнить", "Ответ дан.", **{"Ответ заявителю": ANSWER})
    expect(page.get_by_text("обращение исполнено. Состояние: исполнено")).to_be_visible()
    expect(page.get_by_role("rowheader", name="обращение исполнено")).to_be_visible()

    # The consumer reads the answer on the request's page.
    browser_login(alice)
    page.goto(consumer_page)
    expect(page.get_by_role("heading", name="Ответ")).to_be_visible()
    expect(page.get_by_text(ANSWER)).to_be_visible()
