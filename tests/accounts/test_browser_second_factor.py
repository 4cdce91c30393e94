"""In a real browser: turning on the code from an authenticator app, signing in with a recovery
code, and ending a session on another device."""

from base64 import b32decode

import pytest
from django.urls import reverse
from django_otp.oath import totp
from playwright.sync_api import Page, expect

from accounts.models import SignedInSession
from tests.conftest import PASSWORD, PortalClient

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


def sign_in_with_password(page: Page, email: str, password: str) -> None:
    page.get_by_label("Электронная почта").fill(email)
    page.get_by_label("Пароль").fill(password)
    page.get_by_role("button", name="Войти").click()


def code_from_secret(secret: str) -> str:
    """What the person's authenticator app shows for the key typed in from the page."""
    key = b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    return f"{totp(key):06d}"


def test_a_consumer_turns_on_the_code_and_later_signs_in_with_a_recovery_code(
    page: Page, live_server, alice
):
    page.goto(live_server.url + reverse("accounts:login"))
    sign_in_with_password(page, alice.email, PASSWORD)
    page.goto(live_server.url + reverse("accounts:profile"))
    page.get_by_role("link", name="Вход по коду из приложения").click()

    expect(page.get_by_role("img", name="QR-код для приложения-аутентификатора")).to_be_visible()
    secret = page.locator("#second-factor-secret").inner_text()
    page.get_by_role("textbox", name="Код из приложения").fill(code_from_secret(secret))
    page.get_by_label("Текущий пароль").fill(PASSWORD)
    page.get_by_role("button", name="Включить вход по коду").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Вход по коду включён")
    codes = page.get_by_role("list", name="Резервные коды").get_by_role("listitem")
    expect(codes).to_have_count(10)
    recovery_code = codes.first.inner_text()

    page.get_by_role("button", name="Выйти").click()
    page.goto(live_server.url + reverse("accounts:login"))
    sign_in_with_password(page, alice.email, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Код для входа")
    page.get_by_label("Код:", exact=True).fill("000000")
    page.get_by_role("button", name="Войти").click()
    expect(page.locator(".errorlist").get_by_text("Неверный код")).to_be_visible()
    page.get_by_label("Код:", exact=True).fill(recovery_code)
    page.get_by_role("button", name="Войти").click()

    expect(
        page.get_by_text("Вы вошли по резервному коду. Осталось резервных кодов: 9.")
    ).to_be_visible()


def test_a_consumer_ends_the_session_on_another_device(page: Page, live_server, alice):
    phone = PortalClient(HTTP_USER_AGENT=PHONE, REMOTE_ADDR="198.51.100.77")
    phone.post(reverse("accounts:login"), {"username": alice.email, "password": PASSWORD})
    assert "_auth_user_id" in phone.session

    page.goto(live_server.url + reverse("accounts:login"))
    sign_in_with_password(page, alice.email, PASSWORD)
    page.goto(live_server.url + reverse("accounts:profile"))
    page.get_by_role("link", name="Где выполнен вход").click()

    other = page.get_by_role("listitem").filter(has_text="Mobile Safari 17 · iOS")
    expect(other.get_by_text("198.51.100.*")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="это устройство")).to_have_count(1)
    other.get_by_role("button", name="Завершить этот сеанс").click()

    expect(page.get_by_text("Сеанс завершён")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="Mobile Safari")).to_have_count(0)
    assert "_auth_user_id" not in phone.session
    assert SignedInSession.objects.filter(user=alice).count() == 1
