"""The receipt PDF: it opens, and says whose it is, for which month and how much to pay."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_the_receipt_opens_and_names_the_account_the_month_and_the_amount(
    client, alice, link, make_month
):
    make_month(
        link.account,
        datetime.date(2026, 11, 1),
        opening=Decimal("1000.00"),
        recalculation=Decimal("-83.40"),
    )  # 1 000 + 1 668 + 327 − 83,40
    client.force_login(alice)

    response = client.get(reverse("bills:receipt", args=[link.pk, 2026, 11]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "kvitanciya-1000000001-2026-11.pdf" in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert "Лицевой счёт № 1000000001" in text
    assert "Квитанция за ноябрь 2026" in text
    assert "К оплате: 2 911,60 ₽" in text
    assert "Оплатить до 15 декабря 2026 г." in text
    assert "ИНН 5016000005" in text
    assert "Показания переданы после расчёта." in text
    assert "15000 → 15200" in text


def test_a_receipt_is_made_once_and_then_served_from_the_cache(
    client, alice, link, make_month, django_assert_num_queries
):
    make_month(link.account, datetime.date(2026, 11, 1))
    client.force_login(alice)
    url = reverse("bills:receipt", args=[link.pk, 2026, 11])
    first = client.get(url).content

    # Session, user, the link, the month (the policy-renewal check is kept per person): no
    # query for the receipt itself.
    with django_assert_num_queries(4):
        second = client.get(url).content

    assert first == second
