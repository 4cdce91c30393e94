"""The consumer's charges, payments, receipts and the payment QR code, per linked account.
Only the account's current owner sees any of it: everyone else gets 404."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.signed_in import signed_in_user
from billing.models import AccountLink
from bills import services
from bills.balance import account_summaries, rubles
from bills.forms import ElectronicReceiptForm, PaymentAmountForm
from bills.models import Charge, Payment
from bills.qr import payment_payload, qr_svg
from bills.receipt import period_title, receipt_file_name, receipt_pdf_cached
from bills.requisites import Payee
from workcalendar.terms import moscow_date

MONTHS_PER_PAGE = 12
PAYMENTS_PER_PAGE = 20


def _own_link(request: HttpRequest, pk: int) -> AccountLink:
    """Someone else's link, or an ended one, is simply not found."""
    return get_object_or_404(
        AccountLink.objects.active().select_related("account"), pk=pk, user=request.user
    )


def _period(year: int, month: int) -> datetime.date:
    try:
        return datetime.date(year, month, 1)
    except ValueError:
        raise Http404 from None


def _month(link: AccountLink, year: int, month: int) -> Charge:
    return get_object_or_404(
        Charge.objects.current().select_related("account"),
        account_id=link.account_id,
        period=_period(year, month),
    )


@login_required
def charges(request: HttpRequest, pk: int) -> HttpResponse:
    link = _own_link(request, pk)
    months = Paginator(
        Charge.objects.current().filter(account_id=link.account_id).order_by("-period"),
        MONTHS_PER_PAGE,
    ).get_page(request.GET.get("page"))
    choice = services.receipt_choice_current(link=link)
    initial = {"electronic": "1" if choice and choice.electronic else "0"}
    return render(
        request,
        "bills/charges.html",
        {
            "link": link,
            "summary": account_summaries([link.account_id])[link.account_id],
            "months": months,
            "choice": choice,
            "receipt_form": ElectronicReceiptForm(initial=initial),
        },
    )


@login_required
def charge_detail(request: HttpRequest, pk: int, year: int, month: int) -> HttpResponse:
    link = _own_link(request, pk)
    charge = _month(link, year, month)
    lines = list(charge.lines.order_by("position"))
    earlier = list(
        Charge.objects.filter(account_id=link.account_id, period=charge.period)
        .exclude(pk=charge.pk)
        .order_by("-version")
        .only("version", "imported_at", "replaced_at", "charged", "amount_due")
    )
    payments = list(
        Payment.objects.filter(account_id=link.account_id, period=charge.period).order_by(
            "paid_on", "pk"
        )
    )
    return render(
        request,
        "bills/charge_detail.html",
        {
            "link": link,
            "charge": charge,
            "period": period_title(charge.period),
            "lines": [line for line in lines if not line.is_recalculation],
            "recalculations": [line for line in lines if line.is_recalculation],
            "earlier": earlier,
            "payments": payments,
        },
    )


@login_required
def receipt(request: HttpRequest, pk: int, year: int, month: int) -> HttpResponse:
    link = _own_link(request, pk)
    charge = _month(link, year, month)
    response = HttpResponse(receipt_pdf_cached(charge), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{receipt_file_name(charge)}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def payments(request: HttpRequest, pk: int) -> HttpResponse:
    link = _own_link(request, pk)
    page = Paginator(
        Payment.objects.filter(account_id=link.account_id).order_by("-paid_on", "-pk"),
        PAYMENTS_PER_PAGE,
    ).get_page(request.GET.get("page"))
    return render(request, "bills/payments.html", {"link": link, "payments": page})


@login_required
def pay(request: HttpRequest, pk: int) -> HttpResponse:
    """The QR code for the amount shown; a changed amount comes back by GET and the code is
    drawn again on the server (the page runs no scripts)."""
    link = _own_link(request, pk)
    summary = account_summaries([link.account_id])[link.account_id]
    suggested = summary.balance.amount_to_pay if summary.balance else None
    if "amount" in request.GET:
        form = PaymentAmountForm(request.GET)
        amount = form.cleaned_data["amount"] if form.is_valid() else None
    else:
        form = PaymentAmountForm(initial={"amount": rubles(suggested)[:-2] if suggested else ""})
        amount = suggested or None
    period = summary.latest.period if summary.latest else moscow_date(timezone.now()).replace(day=1)
    payee = Payee.from_settings()
    qr = None
    if amount is not None or not form.is_bound:
        payload = payment_payload(
            payee=payee, account_number=link.account.number, period=period, amount=amount
        )
        qr = qr_svg(
            payload,
            title=_("QR-код для оплаты по лицевому счёту %(number)s")
            % {"number": link.account.number},
        )
    return render(
        request,
        "bills/pay.html",
        {
            "link": link,
            "summary": summary,
            "form": form,
            "amount": amount,
            "qr": qr,
            "payee": payee,
            "period": period_title(period),
        },
    )


@login_required
@require_POST
def electronic_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    link = _own_link(request, pk)
    form = ElectronicReceiptForm(request.POST)
    if not form.is_valid():
        messages.error(request, str(form.errors["electronic"][0]))
        return redirect("bills:charges", pk=link.pk)
    electronic = form.cleaned_data["electronic"]
    changed = services.receipt_choice_set(link=link, electronic=electronic)
    if not changed:
        messages.info(request, _("Этот способ получения квитанции уже выбран."))
    elif electronic and user.awaiting_email_confirmation:
        messages.warning(
            request,
            _(
                "Выбор сохранён. Квитанции начнут приходить, когда вы подтвердите адрес "
                "%(email)s по ссылке из письма."
            )
            % {"email": user.email},
        )
    elif electronic:
        messages.success(
            request,
            _(
                "Готово: квитанции будут приходить на %(email)s. Бумажную квитанцию перестанут "
                "печатать со следующего месяца."
            )
            % {"email": user.email},
        )
    else:
        messages.success(request, _("Готово: квитанция снова будет приходить по почте."))
    return redirect("bills:charges", pk=link.pk)
