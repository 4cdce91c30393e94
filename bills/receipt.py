"""The month's receipt (квитанция) as PDF: requisites, the account, lines, balance, amount due
and the payment QR code. Made on request (`lkk.pdf`) and kept in the cache, never stored per
account.
"""

import datetime
import hashlib
import io
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.formats import date_format

from bills.balance import rubles
from bills.models import Charge, ChargeLine
from bills.qr import payment_payload, qr_png
from bills.requisites import Payee
from lkk.pdf import FONT, PortalPdf
from workcalendar.terms import moscow_date


def period_title(period: datetime.date) -> str:
    """«ноябрь 2026»"""
    return date_format(period, "F Y").lower()


def _volume(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{value.normalize():f}".replace(".", ",")


def _tariff(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", ",")


def receipt_pdf(charge: Charge, *, lines: list[ChargeLine] | None = None) -> bytes:
    """The PDF of `charge` (account preloaded); `lines` if the caller already has them."""
    account = charge.account
    payee = Payee.from_settings()
    lines = lines if lines is not None else list(charge.lines.order_by("position"))
    today = moscow_date(timezone.now())
    pdf = PortalPdf()
    pdf.set_title(f"Квитанция {account.number} {charge.period:%m.%Y}")
    pdf.add_page()

    pdf.text_line(f"Квитанция за {period_title(charge.period)}", size=14, bold=True, height=7)
    pdf.text_line(settings.OPERATOR["name"], bold=True)
    pdf.text_line(f"{settings.OPERATOR['address']}  ·  {settings.OPERATOR['email']}")
    pdf.ln(2)
    pdf.text_line("Получатель платежа", bold=True)
    pdf.text_line(
        f"{payee.name}, ИНН {payee.inn}, КПП {payee.kpp}\n"
        f"р/с {payee.account} в {payee.bank}\nБИК {payee.bic}, к/с {payee.corr_account}"
    )
    pdf.ln(2)
    pdf.text_line("Плательщик", bold=True)
    pdf.text_line(
        f"Лицевой счёт № {account.number}\n"
        f"{account.holder_name}\n"
        f"Адрес: {account.address}\n"
        f"Расчётный период: {period_title(charge.period)}"
        + (f" (исправленная версия {charge.version})" if charge.version > 1 else "")
    )
    pdf.ln(2)

    headings = ("Услуга, зона", "Показания", "Объём, кВт·ч", "Источник", "Тариф, ₽", "Сумма, ₽")
    widths = (50, 34, 24, 30, 20, 28)
    pdf.set_font(FONT, "B", 8)
    with pdf.table(col_widths=widths, text_align="LEFT", line_height=4.4) as table:
        table.row(headings)
        pdf.set_font(FONT, "", 8)
        for line in lines:
            if line.is_recalculation:
                continue
            readings = (
                f"{_volume(line.reading_start)} → {_volume(line.reading_end)}"
                if line.reading_end is not None
                else "—"
            )
            table.row(
                (
                    f"{line.service}, {line.get_zone_display()}",
                    readings,
                    _volume(line.volume),
                    line.get_source_display(),
                    _tariff(line.tariff),
                    rubles(line.amount).removesuffix("\u00a0₽"),
                )
            )
    recalculations = [line for line in lines if line.is_recalculation]
    if recalculations:
        pdf.ln(2)
        pdf.text_line("Перерасчёты", bold=True)
        for line in recalculations:
            month = (
                f" за {period_title(line.recalculated_period)}" if line.recalculated_period else ""
            )
            sign = "−" if line.amount < 0 else "+"
            pdf.text_line(f"{line.service}{month}: {sign}{rubles(line.amount)}. {line.reason}")
    pdf.ln(3)

    top = pdf.get_y()
    beside_qr = pdf.epw - 50
    pdf.text_line(
        f"Долг (+) / переплата (−) на начало месяца: {_signed(charge.opening_balance)}\n"
        f"Начислено за месяц: {rubles(charge.charged)}\n"
        f"Оплачено в месяце: {rubles(charge.paid)}\n"
        f"Долг (+) / переплата (−) на конец месяца: {_signed(charge.closing_balance)}",
        width=beside_qr,
    )
    pdf.ln(1)
    pdf.text_line(
        f"К оплате: {rubles(charge.amount_due)}", size=13, bold=True, height=6, width=beside_qr
    )
    pdf.text_line(
        f"Оплатить до {date_format(charge.due_date, 'j E Y')} г.", bold=True, width=beside_qr
    )
    pdf.text_line(
        "Наведите камеру телефона или приложение банка на QR-код: реквизиты и сумма "
        "заполнятся сами.",
        size=8,
        width=beside_qr,
    )
    payload = payment_payload(
        payee=payee,
        account_number=account.number,
        period=charge.period,
        amount=charge.amount_due,
    )
    pdf.image(io.BytesIO(qr_png(payload, scale=6)), x=pdf.w - 12 - 45, y=top, w=45, h=45)
    pdf.set_y(max(pdf.get_y(), top + 47))
    pdf.ln(2)
    pdf.text_line(f"Сформировано в личном кабинете {date_format(today, 'd.m.Y')}.", size=7)
    return bytes(pdf.output())


def _signed(amount: Decimal) -> str:
    return ("−" if amount < 0 else "") + rubles(amount)


def receipt_pdf_cached(charge: Charge) -> bytes:
    """A version of a month never changes (a correction is a new row), so its id is the key,
    with the payee's requisites: new requisites make new receipts at once."""
    payee = hashlib.sha256(repr(sorted(settings.BILLS_PAYEE.items())).encode()).hexdigest()[:16]
    key = f"bills:receipt:{charge.pk}:{payee}"
    pdf = cache.get(key)
    if pdf is None:
        pdf = receipt_pdf(charge)
        cache.set(key, pdf, settings.BILLS_RECEIPT_CACHE_SECONDS)
    return pdf


def receipt_file_name(charge: Charge) -> str:
    return f"kvitanciya-{charge.account.number}-{charge.period:%Y-%m}.pdf"
