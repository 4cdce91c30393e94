from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from consents import services
from consents.data_export import subject_data_collect
from consents.forms import (
    ConsentWithdrawForm,
    PolicyAcceptForm,
    PolicyVersionForm,
    SubjectRequestForm,
)
from consents.models import ConsentPurpose, ConsentRecord, SubjectRequest
from consents.policy_renewal import pending_policy_for_request
from consents.workflow import (
    Action,
    TransitionNotAllowed,
    available_actions,
    subject_request_transition,
)
from lkk.limits import RateLimited, rate_limited_message
from lkk.request_info import client_ip, client_user_agent, safe_next_url


def _request_origin(request: HttpRequest) -> dict:
    return {"ip_address": client_ip(request), "user_agent": client_user_agent(request)}


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
    """«Мои согласия»: the state of each purpose and the whole history, in two queries."""
    return render(
        request,
        "consents/mine.html",
        {
            "purposes": ConsentPurpose.objects.with_state_for(request.user),
            "history": ConsentRecord.objects.history_for(request.user),
        },
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


# --- «Мои обращения по ПДн» --------------------------------------------------------------------


def _own_request(request: HttpRequest, pk: int) -> SubjectRequest:
    """The person's own request; anyone else's is a 404, as if it did not exist."""
    return get_object_or_404(SubjectRequest.objects.for_subject(request.user), pk=pk)


@login_required
@require_GET
def requests(request: HttpRequest) -> HttpResponse:
    """The person's requests with numbers, statuses and due dates, in one query."""
    return render(
        request,
        "consents/requests/list.html",
        {
            "subject_requests": SubjectRequest.objects.for_subject(request.user).only(
                "pk", "number", "kind", "status", "received_at", "due_on", "completed_at"
            )
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    form = SubjectRequestForm(
        request.POST or None, subject=request.user, initial={"kind": request.GET.get("kind")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            subject_request = services.subject_request_file_by_subject(
                subject=request.user, **form.filing
            )
        except RateLimited as limited:
            form.add_error(None, rate_limited_message(limited))
            return render(request, "consents/requests/new.html", {"form": form})
        messages.success(
            request,
            f"Обращение № {subject_request.number} подано. Мы ответим до "
            f"{subject_request.due_on:%d.%m.%Y} и сообщим о каждом шаге письмом.",
        )
        return redirect("consents:request_detail", pk=subject_request.pk)
    return render(request, "consents/requests/new.html", {"form": form})


@login_required
@require_GET
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    subject_request = _own_request(request, pk)
    return render(
        request,
        "consents/requests/detail.html",
        {
            "subject_request": subject_request,
            "events": subject_request.events.order_by("at", "pk"),
            "can_withdraw": bool(available_actions(subject_request, for_subject=True)),
        },
    )


@login_required
@require_POST
def request_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    subject_request = _own_request(request, pk)
    try:
        subject_request_transition(
            request=subject_request, action=Action.WITHDRAW, actor=request.user, comment=""
        )
    except TransitionNotAllowed as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, f"Обращение № {subject_request.number} отозвано.")
    return redirect("consents:request_detail", pk=subject_request.pk)


@login_required
@require_GET
def data_export(request: HttpRequest) -> HttpResponse:
    """«Скачать мои данные»: a readable, printable page of everything held about the person."""
    return render(
        request, "consents/data_export.html", {"data": subject_data_collect(request.user)}
    )


@login_required
@require_GET
def data_export_json(request: HttpRequest) -> HttpResponse:
    """The same as a JSON file."""
    data = subject_data_collect(request.user)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    filename = f"moi-dannye-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
