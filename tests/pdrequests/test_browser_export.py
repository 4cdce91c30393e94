"""«Скачать мои данные» in a real browser: the person finds it, reads it and downloads the file."""

import json

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from lkk import personal_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_person_downloads_a_complete_export(
    page: Page, live_server, alices_history, browser_login, tmp_path
):
    browser_login(alices_history)
    page.goto(live_server.url + reverse("pdrequests:requests"))

    page.get_by_role("link", name="Скачать мои данные").click()

    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Всё, что личный кабинет хранит о вас")
    for category in personal_data.categories():
        expect(page.get_by_role("heading", level=2, name=category.title)).to_be_visible()
    expect(page.get_by_role("cell", name="alice@example.ru").first).to_be_visible()
    no_transfer = "Трансграничная передача персональных данных не осуществляется"
    expect(page.get_by_text(no_transfer)).to_be_visible()

    with page.expect_download() as download:
        page.get_by_role("link", name="Скачать файл (JSON)").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)

    data = json.loads(path.read_text(encoding="utf-8"))
    assert [c["key"] for c in data["categories"]] == [c.key for c in personal_data.categories()]
    [profile] = next(c for c in data["categories"] if c["key"] == "accounts.profile")["rows"]
    assert profile["Адрес электронной почты"] == "alice@example.ru"
    assert data["rights"]


def test_a_published_consent_text_shows_the_operators_requisites(page: Page, live_server, settings):
    from io import StringIO

    from django.core.management import call_command

    settings.OPERATOR = {
        **settings.OPERATOR,
        "inn": "5016000000",
        "ogrn": "1025002000000",
        "dpo": "Петрова Анна Сергеевна, dpo@ivsbyt.ru",
    }
    call_command("consent_texts_republish", stdout=StringIO())

    page.goto(live_server.url + reverse("consents:document", args=["account"]))

    requisites = page.get_by_role("region", name="Оператор персональных данных")
    expect(requisites).to_contain_text("ИНН5016000000")
    expect(requisites).to_contain_text("1025002000000")
    expect(requisites).to_contain_text("Петрова Анна Сергеевна, dpo@ivsbyt.ru")
