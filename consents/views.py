from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from consents import services
from consents.forms import ConsentWithdrawForm, PolicyAcceptForm, PolicyVersionForm
from consents.models import ConsentPurpose, ConsentRecord
from consents.policy_renewal import pending_policy_for_request
from lkk.person_cache import Shown, person_cached
from lkk.request_info import client_ip, client_user_agent, safe_next_url
from privacy.public_pages import public_page

# «Мои согласия», a page at a time whatever the history's length.
HISTORY_PER_PAGE = 20


def _request_origin(request: HttpRequest) -> dict:
    return {"ip_address": client_ip(request), "user_agent": client_user_agent(request)}


@public_page()
@require_GET
def document(request: HttpRequest, purpose_code: str, version: int | None = None) -> HttpResponse:
    """A consent text as a document of its own; public, since it is read before registering."""
    purpose = get_object_or_404(ConsentPurpose, code=purpose_code)
    versions = list(purpose.texts.order_by("-version"))
    if not versions:
        raise Http404
    if version is None:
        text = versions[0]
    else:
        text = next((t for t in versions if t.version == version), None)
        if text is None:
            raise Http404
    return render(
        request,
        "consents/document.html",
        {"purpose": purpose, "text": text, "versions": versions, "current": versions[0]},
    )


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """«Мои согласия»: the state of each purpose and the history, a page at a time. The state
    and the history's first page, the one nearly everyone sees, are kept for the person until a
    record of theirs is added (`consents.services`)."""
    number = request.GET.get("page")
    if number in (None, "", "1"):
        history = person_cached(
            Shown.CONSENT_HISTORY, request.user.pk, lambda: _history(request, 1), request=request
        )
    else:
        history = _history(request, number)
    purposes = person_cached(
        Shown.CONSENT_STATES,
        request.user.pk,
        lambda: list(ConsentPurpose.objects.with_state_for(request.user)),
        request=request,
    )
    return render(request, "consents/mine.html", {"purposes": purposes, "history": history})


def _history(request: HttpRequest, number) -> SafeString:
    """Rendered without the request: it holds the person's records and nothing of the page."""
    records = Paginator(ConsentRecord.objects.history_for(request.user), HISTORY_PER_PAGE)
    return mark_safe(  # noqa: S308 — a template rendered with autoescape
        render_to_string("consents/_history.html", {"history": records.get_page(number)})
    )


@login_required
@require_POST
def give(request: HttpRequest, purpose_code: str) -> HttpResponse:
    purpose = get_object_or_404(ConsentPurpose, code=purpose_code)
    services.consent_give(
        user=request.user,
        purpose_code=purpose.code,
        source=ConsentRecord.Source.PROFILE,
        **_request_origin(request),
    )
    messages.success(request, f"Согласие «{purpose.name}» дано.")
    return redirect("consents:mine")


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, purpose_code: str) -> HttpResponse:
    """One click for an optional consent; the required one closes the account, after a warning."""
    purpose = get_object_or_404(ConsentPurpose, code=purpose_code)
    form = ConsentWithdrawForm(request.POST if request.method == "POST" else None, purpose=purpose)
    if request.method == "POST" and form.is_valid():
        services.consent_withdraw(
            user=request.user,
            purpose_code=purpose.code,
            source=ConsentRecord.Source.PROFILE,
            **_request_origin(request),
        )
        if purpose.is_required:
            logout(request)
            messages.info(
                request,
                "Согласие отозвано, учётная запись закрыта. Ваши персональные данные будут "
                "уничтожены в течение 30 дней, кроме тех, которые закон требует хранить.",
            )
            return redirect("home")
        messages.success(request, f"Согласие «{purpose.name}» отозвано.")
        return redirect("consents:mine")
    return render(request, "consents/withdraw.html", {"purpose": purpose, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def policy_review(request: HttpRequest) -> HttpResponse:
    """A policy version requiring renewed consent: read what changed, then accept."""
    pending = pending_policy_for_request(request)
    if pending is None or not pending.requires_acceptance:
        return redirect(safe_next_url(request, default=reverse("home")))
    form = PolicyAcceptForm(
        request.POST if request.method == "POST" else None, policy_version=pending.version
    )
    if request.method == "POST" and form.is_valid():
        services.policy_accept(
            user=request.user, policy_version=pending.version, **_request_origin(request)
        )
        messages.success(request, "Спасибо! Новая редакция политики принята.")
        return redirect(safe_next_url(request, default=reverse("home")))
    previous = (
        ConsentRecord.objects.filter(
            user=request.user,
            purpose__code=ConsentPurpose.ACCOUNT,
            action=ConsentRecord.Action.GIVEN,
            policy_version__isnull=False,
        )
        .select_related("policy_version")
        .order_by("-created_at", "-pk")
        .first()
    )
    return render(
        request,
        "consents/policy_review.html",
        {
            "policy": pending.version,
            "previous_policy": previous.policy_version if previous else None,
            "form": form,
            "next": safe_next_url(request, default=reverse("home")),
        },
    )


@login_required
@require_POST
def policy_notice_dismiss(request: HttpRequest) -> HttpResponse:
    """Hide the new-policy notice for good, recording that the person was informed."""
    pending = pending_policy_for_request(request)
    if pending is not None and not pending.requires_acceptance:
        form = PolicyVersionForm(request.POST, policy_version=pending.version)
        if form.is_valid():
            services.policy_acknowledge(
                user=request.user, policy_version=pending.version, **_request_origin(request)
            )
    return redirect(safe_next_url(request, default=reverse("home")))
