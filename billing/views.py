from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from billing import services
from billing.forms import AccountLinkForm, LinkDisputeForm
from billing.models import AccountLink, LinkOutcome
from billing.panels import account_panels
from consents.models import ConsentPurpose
from lkk.exchange import IMPORTED_DATA_GENERATION
from lkk.limits import RateLimited, rate_limited_message
from lkk.person_cache import Shown, person_cached
from lkk.request_info import client_ip

# The one answer to every failed attempt: it never tells whether the number exists.
NOT_CONFIRMED = gettext_lazy(
    "Не удалось подтвердить лицевой счёт. Проверьте номер счёта и фамилию владельца или "
    "номер счётчика — они должны совпадать с квитанцией."
)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    sections = person_cached(
        Shown.DASHBOARD,
        request.user.pk,
        lambda: _dashboard_sections(request),
        depends_on=IMPORTED_DATA_GENERATION,
        request=request,
    )
    return render(request, "billing/dashboard.html", {"sections": sections})


def _dashboard_sections(request: HttpRequest) -> SafeString:
    """The accounts with the panels other apps add, and the consents' state: kept for the person
    until a link, a consent or an import changes them (`person_changed`, the import
    generation). Rendered without the request, so that they hold nothing but the person's own
    data (no form, no token)."""
    links = list(AccountLink.objects.for_dashboard(request.user))
    panels = account_panels(request, links)
    for link in links:
        link.panels = panels[link.pk]  # type: ignore[attr-defined]  # read by the template
    consents = ConsentPurpose.objects.with_state_for(request.user).only("name", "code")
    return mark_safe(  # noqa: S308 — a template rendered with autoescape
        render_to_string("billing/_dashboard_sections.html", {"links": links, "consents": consents})
    )


@login_required
def account_link(request: HttpRequest) -> HttpResponse:
    ip_address = client_ip(request)
    form = AccountLinkForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        result = services.account_link(
            user=request.user,
            number=form.cleaned_data["number"],
            factor=form.cleaned_data["factor"],
            value=form.cleaned_data["value"],
            ip_address=ip_address,
        )
        if result.linked:
            messages.success(
                request,
                _("Лицевой счёт № %(number)s привязан к вашему личному кабинету.")
                % {"number": result.account.number},
            )
            return redirect("billing:dashboard")
        if result.outcome == LinkOutcome.LINKED_TO_OTHER:
            dispute_form = LinkDisputeForm(
                user=request.user,
                initial={
                    "token": LinkDisputeForm.token_for(user=request.user, account=result.account)
                },
            )
            return render(
                request,
                "billing/linked_to_other.html",
                {"account": result.account, "form": dispute_form},
            )
        if result.outcome == LinkOutcome.ALREADY_YOURS:
            messages.info(request, _("Этот лицевой счёт уже привязан к вашему личному кабинету."))
            return redirect("billing:dashboard")
        if result.outcome != LinkOutcome.RATE_LIMITED:
            form.add_error(None, NOT_CONFIRMED)
    retry_at = services.link_attempts_retry_at(user=request.user, ip_address=ip_address)
    return render(request, "billing/link.html", {"form": form, "retry_at": retry_at})


@login_required
@require_POST
def link_dispute(request: HttpRequest) -> HttpResponse:
    form = LinkDisputeForm(request.POST, user=request.user)
    if not form.is_valid():
        if "token" in form.errors:
            messages.error(request, form.errors["token"][0])
            return redirect("billing:link")
        return render(
            request,
            "billing/linked_to_other.html",
            {"form": form, "account": form.cleaned_data["token"]},
        )
    try:
        services.link_dispute_create(
            user=request.user,
            account=form.cleaned_data["token"],
            comment=form.cleaned_data["comment"],
        )
    except RateLimited as limited:
        messages.error(request, rate_limited_message(limited))
        return redirect("billing:dashboard")
    messages.success(
        request,
        _(
            "Обращение отправлено в службу поддержки. Мы проверим, кому принадлежит счёт, "
            "и свяжемся с вами по электронной почте."
        ),
    )
    return redirect("billing:dashboard")


def _own_active_link(request: HttpRequest, pk: int) -> AccountLink:
    """Someone else's link, or an ended one, is simply not found."""
    return get_object_or_404(
        AccountLink.objects.active().select_related("account"), pk=pk, user=request.user
    )


@login_required
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "billing/account_detail.html", {"link": _own_active_link(request, pk)})


@login_required
def account_unlink(request: HttpRequest, pk: int) -> HttpResponse:
    link = _own_active_link(request, pk)
    if request.method == "POST":
        services.account_unlink(link=link, by=request.user)
        messages.success(
            request,
            _("Лицевой счёт № %(number)s отвязан от вашего личного кабинета.")
            % {"number": link.account.number},
        )
        return redirect("billing:dashboard")
    return render(request, "billing/unlink_confirm.html", {"link": link})
