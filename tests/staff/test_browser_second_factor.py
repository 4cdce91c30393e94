"""In a real browser: a member of staff signs in to the admin with the authenticator app's code."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.conftest import app_code
from tests.staff.conftest import STAFF_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in_with_password(page: Page, email: str, password: str) -> None:
    page.get_by_label("Электронная почта").fill(email)
    page.get_by_label("Пароль").fill(password)
    page.get_by_role("button", name="Войти").click()


def test_a_member_of_staff_signs_in_to_the_admin_with_the_app_code(
    page: Page, live_server, pd_officer, enrol
):
    device, _ = enrol(pd_officer)

    page.goto(live_server.url + reverse("admin:accounts_user_changelist"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Вход в личный кабинет")
    sign_in_with_password(page, pd_officer.email, STAFF_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Код для входа")
    page.get_by_label("Код:", exact=True).fill(app_code(device))
    page.get_by_role("button", name="Войти").click()

    assert page.url.endswith(reverse("admin:accounts_user_changelist"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("пользовател")
