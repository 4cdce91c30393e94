"""What a newcomer does in a real browser, from the registration form to «Мои согласия»."""

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts.models import User
from consents.models import ConsentRecord
from tests.accounts.conftest import link_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

EMAIL = "maria@example.ru"


def test_a_newcomer_registers_confirms_logs_in_and_manages_the_mailings_consent(
    page: Page, live_server, mailoutbox
):
    page.goto(live_server.url + reverse("accounts:register"))
    page.get_by_label("Фамилия").fill("Кузнецова")
    page.get_by_label("Имя:", exact=True).fill("Мария")
    page.get_by_label("Электронная почта").fill(EMAIL)
    page.get_by_label("Мобильный телефон").fill("8 916 555-44-33")
    page.get_by_label("Пароль:", exact=True).fill(PASSWORD)
    page.get_by_label("Пароль ещё раз").fill(PASSWORD)
    personal_data = page.get_by_role("checkbox", name="Я даю согласие на обработку")
    mailings = page.get_by_role("checkbox", name="Я хочу получать новости")
    expect(personal_data).not_to_be_checked()
    expect(mailings).not_to_be_checked()
    page.get_by_role("button", name="Зарегистрироваться").click()

    # Without the required consent the form comes back, with the reason next to the checkbox.
    expect(
        page.locator(".errorlist").get_by_text("Без согласия на обработку персональных данных")
    ).to_be_visible()
    assert not User.objects.filter(email=EMAIL).exists()
    page.get_by_label("Пароль:", exact=True).fill(PASSWORD)
    page.get_by_label("Пароль ещё раз").fill(PASSWORD)
    personal_data.check()
    mailings.check()
    page.get_by_role("checkbox", name="Я ознакомлен(а) с Политикой").check()
    page.get_by_role("button", name="Зарегистрироваться").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Проверьте почту")
    # The live server runs in a thread of this process: its letters land in this outbox.
    [letter] = mailoutbox
    assert letter.to == [EMAIL]

    # The browser that registered confirms without the password and is signed in.
    page.goto(live_server.url + link_in(letter))
    page.get_by_role("button", name="Подтвердить адрес и войти").click()
    expect(page.get_by_role("status")).to_contain_text("Адрес подтверждён, вы вошли")

    page.get_by_role("navigation", name="Основная навигация").get_by_role(
        "link", name="Мои согласия"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Мои согласия")
    expect(page.get_by_role("row").filter(has_text="форма регистрации")).to_have_count(2)
    mailings_card = page.get_by_role("article", name="Получение новостей и рекламных предложений")
    expect(mailings_card.get_by_text("согласие дано")).to_be_visible()

    mailings_card.get_by_role("button", name="Отозвать согласие").click()
    expect(mailings_card.get_by_text("согласие отозвано")).to_be_visible()
    mailings_card.get_by_role("button", name="Дать согласие").click()
    expect(mailings_card.get_by_text("согласие дано")).to_be_visible()

    user = User.objects.get(email=EMAIL)
    assert user.is_active
    registration = ConsentRecord.objects.filter(user=user, source="registration")
    assert sorted(registration.values_list("purpose__code", flat=True)) == ["account", "mailings"]
    for record in registration:
        assert record.ip_address == "127.0.0.1"
        assert "Chrome" in record.user_agent
    mailings_history = ConsentRecord.objects.filter(user=user, purpose__code="mailings")
    assert list(mailings_history.order_by("created_at").values_list("action", flat=True)) == [
        "given",
        "withdrawn",
        "given",
    ]


def test_after_signing_out_the_pages_the_browser_kept_still_send_their_forms(
    page: Page, live_server, alice
):
    """The home page and the sign-in page come from the shared cache, and the browser keeps
    them too. Signing in gives the browser a new CSRF secret: the copies asked for again must
    carry a token of the new one, or their forms would be refused."""
    menu = page.get_by_role("navigation", name="Основная навигация")
    notice = page.get_by_role("region", name="Уведомление о файлах cookie")
    page.goto(live_server.url + "/")
    expect(notice).to_be_visible()
    for _ in range(2):
        menu.get_by_role("link", name="Вход").click()
        page.get_by_label("Электронная почта").fill(alice.email)
        page.get_by_label("Пароль").fill(PASSWORD)
        page.get_by_role("button", name="Войти").click()
        expect(menu.get_by_role("link", name="Мои данные")).to_be_visible()
        menu.get_by_role("button", name="Выйти").click()  # back to the home page

    expect(notice).to_be_visible()
    notice.get_by_role("button", name="Понятно").click()
    expect(notice).to_have_count(0)
    expect(menu.get_by_role("link", name="Вход")).to_be_visible()


def test_wrong_passwords_lock_the_login_out_with_a_clear_page(page: Page, live_server, alice):
    page.goto(live_server.url + reverse("accounts:login"))

    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.get_by_label("Электронная почта").fill("alice@example.ru")
        page.get_by_label("Пароль").fill("не тот пароль")
        page.get_by_role("button", name="Войти").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Вход временно заблокирован")
    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    expect(page.get_by_role("alert")).to_contain_text(f"Попробуйте снова через {minutes} мин.")
    expect(page.get_by_role("alert")).to_contain_text("(мск)")


def test_a_consumer_changes_the_phone_and_a_landline_is_refused_next_to_the_field(
    page: Page, live_server, alice, browser_login
):
    browser_login(alice)
    page.goto(live_server.url + reverse("accounts:profile"))
    page.get_by_role("link", name="Изменить телефон").click()
    phone = page.get_by_label("Новый номер мобильного телефона")

    phone.fill("8 495 123-45-67")
    page.get_by_role("button", name="Сохранить").click()

    expect(phone).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".errorlist").get_by_text("Это не мобильный номер.")).to_be_visible()
    alice.refresh_from_db()
    assert alice.phone == "+79161234567"

    phone.fill("8 903 555-00-11")
    page.get_by_role("button", name="Сохранить").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Мои данные")
    expect(page.get_by_role("status")).to_contain_text("Номер телефона изменён.")
    expect(page.get_by_text("+7 903 555-00-11")).to_be_visible()  # as people read it


def test_the_owner_of_an_address_cannot_open_someone_elses_registration_and_cancels_it(
    page: Page, live_server, django_user_model
):
    """Someone registered Maria's address; she opens the letter that came to her."""
    from accounts import tokens

    stranger = django_user_model.objects.create_user(
        EMAIL, "Пароль-чужака-13", is_active=False, awaiting_email_confirmation=True
    )
    page.goto(
        live_server.url
        + reverse("accounts:verify", args=[tokens.verification_token_make(user=stranger)])
    )

    page.get_by_label("Пароль, указанный при регистрации").fill(PASSWORD)
    page.get_by_role("button", name="Подтвердить адрес").click()
    expect(
        page.locator(".errorlist").get_by_text("Пароль не тот, что указан при регистрации")
    ).to_be_visible()
    stranger.refresh_from_db()
    assert not stranger.is_active

    page.get_by_role("button", name="Отменить регистрацию").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Регистрация отменена")
    assert not User.objects.filter(email=EMAIL).exists()
