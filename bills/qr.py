"""The payment QR code of ГОСТ Р 56042-2014 «Стандарты финансовых операций. Двумерные символы
штрихового кода для осуществления платежей физических лиц», which Russian banks' apps scan.

`ST0001` is the format, `2` the encoding (UTF-8); then `key=value` pairs separated by `|`,
the five required ones first (Name, PersonalAcc, BankName, BIC, CorrespAcc). `Sum` is in kopecks.
A value may not contain the separator, so it is replaced by a space.
"""

import datetime
import io
from decimal import Decimal

import segno

from bills.balance import kopecks
from bills.requisites import Payee

HEADER = "ST00012"


def _clean(value: str) -> str:
    return " ".join(value.replace("|", " ").split())


def payment_payload(
    *, payee: Payee, account_number: str, period: datetime.date, amount: Decimal | None
) -> str:
    fields = [
        ("Name", payee.name),
        ("PersonalAcc", payee.account),
        ("BankName", payee.bank),
        ("BIC", payee.bic),
        ("CorrespAcc", payee.corr_account),
        ("PayeeINN", payee.inn),
        ("KPP", payee.kpp),
    ]
    if amount is not None and amount > 0:
        fields.append(("Sum", str(kopecks(amount))))
    fields += [("persAcc", account_number), ("paymPeriod", f"{period:%m%Y}")]
    return "|".join([HEADER, *(f"{key}={_clean(value)}" for key, value in fields)])


def payment_qr(payload: str) -> segno.QRCode:
    # Level M, as banks print it; bytes in UTF-8 without an ECI header, as the "2" promises.
    return segno.make_qr(payload, error="m", encoding="utf-8", boost_error=False)


def qr_svg(payload: str, *, title: str) -> str:
    """Inline SVG (no scripts, no styles: the page's CSP allows it)."""
    return payment_qr(payload).svg_inline(scale=4, border=4, title=title, svgclass="payment-qr")


def qr_png(payload: str, *, scale: int = 4) -> bytes:
    buffer = io.BytesIO()
    payment_qr(payload).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()
