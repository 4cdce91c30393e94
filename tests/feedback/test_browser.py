"""What a guest does in a real browser: send feedback and see its number."""

import re

import pytest
from playwright.sync_api import Page, expect

from feedback.models import FeedbackMessage

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
    expect(page.get_by_text("Без согласия на обработку персональных данных")).to_be_visible()
    expect(page.get_by_label("Тема")).to_have_value("Не приходит квитанция")
    page.get_by_label("Я даю согласие на обработку моих персональных данных").check()
    page.get_by_role("button", name="Отправить").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Обращение отправлено")
    message = FeedbackMessage.objects.get()
    expect(page.get_by_text(message.number)).to_be_visible()
    assert re.fullmatch(r"ОС-\d{4}-\d{6}", message.number)
    assert message.guest_email == "petrov@example.ru"
    assert message.guest_consent_at is not None
