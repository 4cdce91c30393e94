"""The payment QR code: exactly ГОСТ Р 56042-2014, read back from the images we make."""

import datetime
import io
from decimal import Decimal

import pytest
import zxingcpp
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from bills.qr import payment_payload, qr_png, qr_svg
from bills.requisites import Payee

PAYEE = Payee(
    name="АО «Ивантеевская Энергосбытовая Компания»",
    inn="5016000005",
    kpp="501601001",
    account="40702810600000012345",
    bank="ПАО «Демо-банк»",
    bic="044525999",
    corr_account="30101810600000000999",
)
EXPECTED = (
    "ST00012|Name=АО «Ивантеевская Энергосбытовая Компания»|PersonalAcc=40702810600000012345"
    "|BankName=ПАО «Демо-банк»|BIC=044525999|CorrespAcc=30101810600000000999"
    "|PayeeINN=5016000005|KPP=501601001|Sum=123456|persAcc=1000000001|paymPeriod=112026"
)


def decode(image: Image.Image) -> str:
    """What a bank's app reads: the QR code's bytes, which ST00012 says are UTF-8."""
    found = zxingcpp.read_barcodes(image.convert("L"))
    assert len(found) == 1
    assert found[0].format == zxingcpp.BarcodeFormat.QRCode
    return found[0].bytes.decode("utf-8")


def test_the_payload_is_the_gost_format_field_by_field():
    payload = payment_payload(
        payee=PAYEE,
        account_number="1000000001",
        period=datetime.date(2026, 11, 1),
        amount=Decimal("1234.56"),
    )

    assert payload == EXPECTED


def test_the_qr_image_decodes_to_the_gost_payload():
    image = Image.open(io.BytesIO(qr_png(EXPECTED)))

    assert decode(image) == EXPECTED


def test_without_an_amount_the_sum_is_left_to_the_payer():
    payload = payment_payload(
        payee=PAYEE, account_number="1000000001", period=datetime.date(2026, 11, 1), amount=None
    )

    assert "|Sum=" not in payload
    assert payload.endswith("|persAcc=1000000001|paymPeriod=112026")


def test_a_separator_in_a_value_cannot_break_the_fields():
    payee = Payee(**{**PAYEE.__dict__, "bank": "Банк | филиал"})

    payload = payment_payload(
        payee=payee, account_number="1", period=datetime.date(2026, 1, 1), amount=None
    )

    assert "|BankName=Банк филиал|" in payload


@pytest.mark.django_db
def test_the_receipt_pdf_carries_the_qr_code_for_the_amount_due(
    client, alice, link, make_month, settings
):
    settings.BILLS_PAYEE = {**PAYEE.__dict__}
    make_month(link.account, datetime.date(2026, 11, 1), opening=Decimal("-0.60"))  # 1 994,40
    client.force_login(alice)

    response = client.get(reverse("bills:receipt", args=[link.pk, 2026, 11]))

    images = PdfReader(io.BytesIO(response.content)).pages[0].images
    assert len(images) == 1
    assert decode(images[0].image) == EXPECTED.replace("Sum=123456", "Sum=199440")


@pytest.mark.django_db
def test_the_pay_page_draws_the_code_for_the_amount_typed(client, alice, link, make_month):
    make_month(link.account, datetime.date(2026, 11, 1))
    client.force_login(alice)

    response = client.get(reverse("bills:pay", args=[link.pk]), {"amount": "1 234,56"})

    payload = payment_payload(
        payee=Payee.from_settings(),
        account_number=link.account.number,
        period=datetime.date(2026, 11, 1),
        amount=Decimal("1234.56"),
    )
    page = response.content.decode()
    title = f"QR-код для оплаты по лицевому счёту {link.account.number}"
    assert qr_svg(payload, title=title) in page
    assert "Sum=123456" in payload
    assert "<script" not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("сто", "Введите сумму цифрами, например 1 234,56."),
        ("0", "Сумма должна быть больше нуля."),
        ("12,345", "Копейки — не больше двух знаков после запятой."),
        ("2000000", "Сумма не может быть больше 1 000 000 ₽."),
    ],
)
def test_a_wrong_amount_is_answered_next_to_the_field(
    client, alice, link, make_month, typed, message
):
    make_month(link.account, datetime.date(2026, 11, 1))
    client.force_login(alice)

    response = client.get(reverse("bills:pay", args=[link.pk]), {"amount": typed})

    assert response.context["form"].errors["amount"] == [message]
    assert response.context["qr"] is None
    assert 'aria-invalid="true"' in response.content.decode()
