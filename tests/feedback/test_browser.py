"""What people do in a real browser: a guest sends feedback, a consumer rates the answer."""

import re

import pytest
from playwright.sync_api import Page, expect

from feedback.models import FeedbackMessage, SpecialistRating

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_guest_sends_feedback_and_sees_its_number(page: Page, live_server):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Обратная связь").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Обратная связь")
    page.get_by_label("Вопрос, предложение или отзыв").check()
    page.get_by_label("Тема").fill("Не приходит квитанция")
    page.get_by_label("Текст обращения").fill("Третий месяц не получаю квитанцию по почте.")
    page.get_by_label("Фамилия, имя, отчество").fill("Петров Пётр Петрович")
    page.get_by_label("Электронная почта").fill("petrov@example.ru")
    page.get_by_role("button", name="Отправить").click()

    # Without the consent nothing is sent, and what was typed stays.
    expect(
        page.locator(".errorlist").get_by_text("Без согласия на обработку персональных данных")
    ).to_be_visible()
    expect(page.get_by_label("Тема")).to_have_value("Не приходит квитанция")
    page.get_by_label("Я даю согласие на обработку моих персональных данных").check()
    page.get_by_role("button", name="Отправить").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Обращение отправлено")
    message = FeedbackMessage.objects.get()
    expect(page.get_by_text(message.number)).to_be_visible()
    assert re.fullmatch(r"ОС-\d{4}-\d{6}", message.number)
    assert message.guest_email == "petrov@example.ru"
    assert message.guest_consent_at is not None


def test_a_consumer_rates_the_specialist_who_answered_her(
    page: Page, live_server, alice, make_message, answered, browser_login
):
    message = answered(make_message(alice, subject="Вопрос о начислениях"))
    browser_login(alice)
    page.goto(live_server.url + "/")
    navigation = page.get_by_role("navigation", name="Основная навигация")
    navigation.get_by_role("link", name="Вопросы и претензии").click()
    page.get_by_role("link", name=f"№ {message.number}: Вопрос о начислениях").click()

    # No score chosen: the form says so next to the scores, and nothing is saved.
    page.get_by_role("button", name="Оценить").click()
    expect(page.get_by_role("group", name="Ваша оценка")).to_contain_text("Обязательное поле.")
    assert not SpecialistRating.objects.exists()

    page.get_by_label("4 — хорошо").check()
    page.get_by_label("Комментарий").fill("Ответили понятно.")
    page.get_by_role("button", name="Оценить").click()

    expect(page.get_by_text("Спасибо! Ваша оценка сохранена.")).to_be_visible()
    expect(page.get_by_text("Ваша оценка: 4 из 5")).to_be_visible()
    rating = SpecialistRating.objects.get()
    assert (rating.feedback_message, rating.score, rating.comment) == (
        message,
        4,
        "Ответили понятно.",
    )
