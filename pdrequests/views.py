"""«Мои обращения по ПДн» and «Скачать мои данные»: the consumer's side of PD subject requests."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.signed_in import signed_in_user
from feedback.views import rate_work
from lkk.limits import RateLimited, rate_limited_message
from pdrequests import services
from pdrequests.data_export import subject_data_collect
from pdrequests.forms import SubjectRequestForm
from pdrequests.models import SubjectRequest
from pdrequests.workflow import (
    Action,
    TransitionNotAllowed,
    available_actions,
    subject_request_transition,
)

# The requests list, a page at a time whatever the history's length.
REQUESTS_PER_PAGE = 20


def _own_request(request: HttpRequest, pk: int) -> SubjectRequest:
    """The person's own request; anyone else's is a 404, as if it did not exist."""
    return get_object_or_404(SubjectRequest.objects.for_subject(request.user), pk=pk)


@login_required
@require_GET
def requests(request: HttpRequest) -> HttpResponse:
    """The person's requests with numbers, statuses and due dates, a page at a time."""
    subject_requests = SubjectRequest.objects.for_subject(request.user).only(
        "pk", "number", "kind", "status", "received_at", "due_on", "completed_at"
    )
    page = Paginator(subject_requests, REQUESTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "pdrequests/requests/list.html", {"subject_requests": page})


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
            return render(request, "pdrequests/requests/new.html", {"form": form})
        messages.success(
            request,
            f"Обращение № {subject_request.number} подано. Мы ответим до "
            f"{subject_request.due_on:%d.%m.%Y} и сообщим о каждом шаге письмом.",
        )
        return redirect("pdrequests:request_detail", pk=subject_request.pk)
    return render(request, "pdrequests/requests/new.html", {"form": form})


@login_required
@require_GET
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    subject_request = _own_request(request, pk)
    return render(
        request,
        "pdrequests/requests/detail.html",
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
            request=subject_request,
            action=Action.WITHDRAW,
            actor=signed_in_user(request),
            comment="",
        )
    except TransitionNotAllowed as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, f"Обращение № {subject_request.number} отозвано.")
    return redirect("pdrequests:request_detail", pk=subject_request.pk)


@login_required
@require_GET
def data_export(request: HttpRequest) -> HttpResponse:
    """«Скачать мои данные»: a readable, printable page of everything held about the person."""
    return render(
        request, "pdrequests/data_export.html", {"data": subject_data_collect(request.user)}
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


@login_required
@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    """The subject rates the specialist who handled their request (`feedback`'s form)."""
    subject_request = get_object_or_404(
        SubjectRequest.objects.select_related("specialist_rating"), pk=pk, subject=request.user
    )
    return rate_work(
        request,
        subject_request.rated_work(),
        back=reverse("pdrequests:request_detail", args=[pk]),
    )
