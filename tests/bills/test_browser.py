"""What a consumer does in a real browser: the charges, a month, the receipt, the QR page, and
the electronic receipt."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from bills.models import ElectronicReceiptChoice

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def two_months(link, make_month):
    make_month(link.account, datetime.date(2026, 10, 1))
    return make_month(
        link.account,
        datetime.date(2026, 11, 1),
        opening=Decimal("1995.00"),
        paid=Decimal("1995.00"),
        recalculation=Decimal("-83.40"),
    )


def test_a_consumer_opens_her_charges_a_month_the_receipt_and_the_qr_page(
    page: Page, live_server, alice, link, two_months, browser_login
):
    browser_login(alice)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/kabinet/")

    page.get_by_role("link", name="Начисления").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Начисления")
    page.get_by_role("link", name="ноябрь 2026", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Начисления за ноябрь 2026")
    expect(page.get_by_text("Причина: Показания переданы после расчёта.")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Скачать квитанцию (PDF)").click()
    assert download.value.suggested_filename == "kvitanciya-1000000001-2026-11.pdf"
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    page.get_by_role("link", name="Оплатить").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Оплатить")
    qr = page.locator("svg.payment-qr")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box is not None
    assert box["width"] <= 390
    page.get_by_label("Сумма к оплате, ₽").fill("500,5")
    page.get_by_role("button", name="Пересчитать QR-код").click()
    expect(page.get_by_text("Сумма в QR-коде: 500,50 ₽")).to_be_visible()
    page.get_by_label("Сумма к оплате, ₽").fill("пятьсот")
    page.get_by_role("button", name="Пересчитать QR-код").click()
    expect(
        page.locator(".errorlist").get_by_text("Введите сумму цифрами, например 1 234,56.")
    ).to_be_visible()


def test_a_consumer_turns_on_the_electronic_receipt(
    page: Page, live_server, alice, link, two_months, browser_login
):
    browser_login(alice)
    page.goto(live_server.url + f"/kabinet/scheta/{link.pk}/nachisleniya/")

    page.get_by_label("Электронная квитанция на мой адрес электронной почты").check()
    page.get_by_role("button", name="Сохранить").click()

    expect(page.get_by_role("status")).to_contain_text("квитанции будут приходить на alice@")
    expect(page.get_by_text("Сейчас выбрано: электронная квитанция")).to_be_visible()
    assert ElectronicReceiptChoice.objects.get().electronic
