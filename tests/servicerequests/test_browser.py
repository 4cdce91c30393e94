"""In a real browser: a consumer files a meter replacement with a photo, a specialist takes it
and answers it in the admin, the consumer reads the answer and rates the work; a consumer files
a claim about the quality of supply with the fields the rules ask for."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from feedback.models import SpecialistRating
from lkk.moscow import moscow_time
from servicerequests.models import ServiceRequest
from tests.conftest import PASSWORD, app_code
from tests.servicerequests.conftest import jpeg_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_meter_replacement_with_a_photo_is_taken_answered_and_rated(
    page: Page, live_server, alice, alices_meter, specialist, browser_login, enrol
):
    browser_login(alice)
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Основная навигация").get_by_role(
        "link", name="Мои заявки"
    ).click()
    page.get_by_role("link", name="Новая заявка").click()
    page.get_by_role("link", name="Замена прибора учёта").click()
    expect(page.get_by_role("heading", name="Что будет дальше")).to_be_visible()

    page.get_by_label("Прибор учёта").select_option(
        label="№ 011234567 — лицевой счёт 3700000001, г. Иваново, ул. Лежневская, д. 5, кв. 12"
    )
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    page.get_by_label("Первый удобный день визита").fill(tomorrow.isoformat())
    page.get_by_label("Последний удобный день визита").fill(
        (tomorrow + datetime.timedelta(days=7)).isoformat()
    )
    page.get_by_label("Контактный телефон").fill("+7 916 123-45-67")
    page.get_by_label("Фотографии или документы").set_input_files(
        {"name": "schetchik.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}
    )
    page.get_by_role("button", name="Подать заявку").click()

    request = ServiceRequest.objects.get()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Заявка № {request.number}")
    expect(page.get_by_text(f"Заявка № {request.number} принята.")).to_be_visible()
    expect(page.get_by_role("link", name="schetchik.jpg")).to_be_visible()
    consumer_page = page.url

    # The specialist signs in to the admin with the password and the app's code, takes the
    # request and answers it.
    specialists_app, _ = enrol(specialist)
    page.context.clear_cookies()
    page.goto(live_server.url + reverse("admin:servicerequests_servicerequest_changelist"))
    page.get_by_label(re.compile("почт", re.IGNORECASE)).fill(specialist.email)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.get_by_label("Код:", exact=True).fill(app_code(specialists_app))
    page.get_by_role("button", name="Войти").click()
    page.get_by_role("checkbox", name=re.compile(request.number)).check()
    page.get_by_role("combobox", name=re.compile("Действие")).select_option(
        label="Взять в работу (назначить мне)"
    )
    page.get_by_role("button", name="Запустить", exact=True).click()
    expect(page.get_by_text("Взято в работу: 1.")).to_be_visible()
    page.get_by_role("link", name=request.number).click()
    expect(page.get_by_text("взято в работу")).to_be_visible()
    page.get_by_role("textbox", name="Ответ:").fill("Счётчик заменён и опломбирован 5 декабря.")
    page.get_by_role("button", name="Сохранить", exact=True).click()
    expect(page.get_by_text("Ответ отправлен заявителю.")).to_be_visible()

    # The consumer reads the answer and rates the specialist.
    browser_login(alice)
    page.goto(consumer_page)
    expect(page.get_by_text("Счётчик заменён и опломбирован 5 декабря.")).to_be_visible()
    expect(page.get_by_text("Специалист: дан ответ")).to_be_visible()
    page.get_by_label("5 — отлично").check()
    page.get_by_label("Комментарий").fill("Пришли вовремя.")
    page.get_by_role("button", name="Оценить").click()

    expect(page.get_by_text("Спасибо! Ваша оценка сохранена.")).to_be_visible()
    rating = SpecialistRating.objects.get()
    assert (rating.service_request, rating.specialist, rating.score) == (request, specialist, 5)


def test_a_supply_quality_claim_with_its_fields(
    page: Page, live_server, alice, alices_meter, browser_login
):
    browser_login(alice)
    page.goto(live_server.url + reverse("servicerequests:choose_kind"))
    page.get_by_role("link", name="Претензия о качестве или надёжности электроснабжения").click()
    expect(page.get_by_text("В течение 3 рабочих дней вы получите ответ")).to_be_visible()

    # Sent empty: each required field says what it needs.
    page.get_by_label("Фамилия, имя, отчество заявителя").fill("")
    page.get_by_role("button", name="Подать заявку").click()
    expect(
        page.locator(".errorlist").get_by_text("Укажите дату и время начала нарушения.")
    ).to_be_visible()
    expect(page.locator(".errorlist").get_by_text("Выберите лицевой счёт.")).to_be_visible()
    assert not ServiceRequest.objects.exists()

    began = timezone.localtime() - datetime.timedelta(hours=6)
    page.get_by_label("Фамилия, имя, отчество заявителя").fill("Иванова Алиса Петровна")
    page.get_by_label("Лицевой счёт").select_option(
        label="3700000001 — г. Иваново, ул. Лежневская, д. 5, кв. 12"
    )
    page.get_by_label("Адрес, где нарушено электроснабжение").fill("г. Иваново, ул. Лежневская, 5")
    page.get_by_label("Когда нарушение началось").fill(began.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Что произошло").fill("Напряжение падало до 170 В, техника отключалась.")
    page.get_by_role("button", name="Подать заявку").click()

    claim = ServiceRequest.objects.get()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Заявка № {claim.number}")
    expect(page.get_by_text(f"с {moscow_time(began)}, продолжается")).to_be_visible()
    assert claim.violation_ended_at is None
    assert claim.account == alices_meter.account
    assert claim.claimant_name == "Иванова Алиса Петровна"
