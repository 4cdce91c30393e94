"""In a real browser: a PD officer registers a request that came on paper from a person without
a portal account, and works it to completion."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from pdrequests.models import SubjectRequest
from tests.conftest import app_code
from tests.staff.conftest import STAFF_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANSWER = "Ваших персональных данных в личном кабинете нет. Ответ направлен почтой."


def test_a_paper_request_of_a_person_without_an_account_is_registered_and_completed(
    page: Page, live_server, pd_officer, enrol
):
    officers_app, _ = enrol(pd_officer)
    page.goto(live_server.url + reverse("admin:index"))
    page.get_by_label(re.compile("почт", re.IGNORECASE)).fill(pd_officer.email)
    page.get_by_label("Пароль").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.get_by_label("Код:", exact=True).fill(app_code(officers_app))
    page.get_by_role("button", name="Войти").click()

    page.goto(live_server.url + reverse("admin:pdrequests_subjectrequest_changelist"))
    page.get_by_role("link", name="Обращение на бумаге или по почте").click()
    page.get_by_label("на бумаге (почтой или лично)").check()
    page.get_by_label("Входящий номер документа").fill("вх-117")
    page.get_by_label("Дата документа").fill("20.11.2026")
    page.get_by_label("Вид обращения").select_option(
        label="сведения об обработке персональных данных"
    )
    page.get_by_label("ФИО субъекта (без учётной записи)").fill("Петрова Мария Ивановна")
    page.get_by_label("Адрес для ответа").fill("г. Ивантеевка, ул. Новая, д. 1, кв. 2")
    page.get_by_label("Суть обращения").fill("Прошу сообщить, какие мои данные обрабатываются.")
    page.get_by_role("button", name="Зарегистрировать обращение").click()

    request = SubjectRequest.objects.get()
    expect(page.get_by_text(f"Обращение № {request.number} зарегистрировано")).to_be_visible()
    expect(page.get_by_text("(без учётной записи в ЛКК)")).to_be_visible()
    expect(page.get_by_text("вх-117")).to_be_visible()

    page.get_by_role("link", name="Взять в работу", exact=True).click()
    page.get_by_label("Комментарий").fill("Проверяю, есть ли данные.")
    page.get_by_role("button", name="Взять в работу").click()
    expect(page.get_by_text("взято в работу. Состояние: в работе")).to_be_visible()

    page.get_by_role("link", name="Исполнить", exact=True).click()
    expect(page.get_by_text("направьте ответ по адресу из документа")).to_be_visible()
    page.get_by_label("Ответ заявителю").fill(ANSWER)
    page.get_by_label("Комментарий").fill("Ответ отправлен почтой.")
    page.get_by_role("button", name="Исполнить", exact=True).click()
    expect(page.get_by_text("обращение исполнено. Состояние: исполнено")).to_be_visible()

    request.refresh_from_db()
    assert request.status == SubjectRequest.Status.COMPLETED
    assert request.subject is None
