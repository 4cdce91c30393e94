"""A consumer asks to block their data in a real browser and sees that it is blocked."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from pdrequests.models import SubjectRequest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_a_consumer_files_a_blocking_request_and_sees_the_banner(
    page: Page, live_server, alice, browser_login
):
    browser_login(alice)
    page.goto(live_server.url + reverse("billing:dashboard"))

    page.get_by_role("navigation", name="Основная навигация").get_by_role(
        "link", name="Обращения по ПДн"
    ).click()
    page.get_by_role("link", name="Подать обращение").click()
    page.get_by_role("link", name="Блокирование").click()  # the kind first, then its form
    page.get_by_role("button", name="Подать обращение").click()
    expect(
        page.locator(".errorlist").get_by_text("Укажите, почему данные нужно заблокировать.")
    ).to_be_visible()

    page.get_by_label("обработка неправомерна").check()
    page.get_by_label("Суть обращения").fill("Мне звонят с рекламой, хотя я не соглашалась.")
    page.get_by_role("button", name="Подать обращение").click()

    request = SubjectRequest.objects.get()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Обращение № {request.number}")
    expect(page.get_by_role("status")).to_contain_text(f"Обращение № {request.number} подано")
    banner = page.get_by_role("region", name="Персональные данные заблокированы")
    expect(banner).to_contain_text("Ваши персональные данные заблокированы")
    expect(banner).to_contain_text(request.number)

    page.get_by_role("link", name="Мои данные").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Мои данные")
    # The changes a blocking forbids are not offered; the page says why.
    expect(page.get_by_role("link", name="Изменить телефон")).to_have_count(0)
    expect(page.get_by_text("Адрес почты и телефон сейчас нельзя изменить")).to_be_visible()
    expect(banner).to_be_visible()
