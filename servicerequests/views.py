"""The consumer's pages: «Мои заявки», a new request, a request's page with its history, the
author's comments, files, withdrawal and rating; and the one door to an attached file."""

import datetime
from typing import Any, NamedTuple

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.signed_in import signed_in_user
from bills.services import charge_month_links
from cases.workflow import CaseStepRefused, history_rows
from feedback.services import RatedWork
from feedback.views import rate_work
from servicerequests import services
from servicerequests.forms import AddToRequestForm, ServiceRequestForm
from servicerequests.models import Attachment, RequestKind, ServiceRequest
from staff.models import PersonalDataAccess
from staff.personal_data import subject_data_access
from staff.services import pd_access_log

REQUESTS_PER_PAGE = 20


class MonthRow(NamedTuple):
    month: datetime.date
    url: str | None  # the month's charges page, when the consumer's account has that month


def _own_request(request: HttpRequest, pk: int) -> ServiceRequest:
    """The signed-in consumer's request, or 404 (another's request does not exist for them)."""
    return get_object_or_404(
        ServiceRequest.objects.select_related("kind", "meter", "account", "specialist_rating"),
        pk=pk,
        user=request.user,
    )


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """«Мои заявки», newest first, a page at a time: a count and a page of requests, whatever
    their number."""
    page = Paginator(ServiceRequest.objects.for_author(request.user), REQUESTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "servicerequests/mine.html", {"service_requests": page})


@login_required
@require_GET
def choose_kind(request: HttpRequest) -> HttpResponse:
    return render(
        request, "servicerequests/choose_kind.html", {"kinds": RequestKind.objects.offered()}
    )


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest, code: str) -> HttpResponse:
    kind = get_object_or_404(RequestKind.objects.offered(), code=code)
    form = ServiceRequestForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        kind=kind,
        user=request.user,
        meter=request.GET.get("meter"),
    )
    open_request = None
    if request.method == "POST" and form.is_valid():
        try:
            filed, created = services.service_request_file(
                user=request.user,
                kind=kind,
                submission_key=form.cleaned_data["submission_key"],
                fields=form.request_fields(),
                files=form.cleaned_data.get("files") or [],
            )
        except services.ServiceRequestRefused as refused:
            form.add_error("meter" if refused.open_request else None, refused.message)
            open_request = refused.open_request
        else:
            if created:
                messages.success(
                    request,
                    f"Заявка № {filed.number} принята. Срок выполнения — до "
                    f"{filed.due_on:%d.%m.%Y}.",
                )
            return redirect("servicerequests:detail", pk=filed.pk)
    return render(
        request,
        "servicerequests/create.html",
        {"kind": kind, "form": form, "open_request": open_request},
    )


def _months(request: HttpRequest, service_request: ServiceRequest) -> list[MonthRow]:
    """A recalculation's months, each with the link to its charges page where the consumer's
    account has that month (one query for all of them)."""
    if not service_request.months or service_request.account_id is None:
        return [MonthRow(month, None) for month in service_request.months]
    pages = charge_month_links(
        user=signed_in_user(request),
        account_id=service_request.account_id,
        periods=service_request.months,
    )
    return [
        MonthRow(
            month,
            reverse("bills:charge", args=[pages[month], month.year, month.month])
            if month in pages
            else None,
        )
        for month in service_request.months
    ]


def _detail(
    request: HttpRequest, service_request: ServiceRequest, add_form: AddToRequestForm | None
) -> dict[str, Any]:
    return {
        "service_request": service_request,
        "months": _months(request, service_request),
        "history": history_rows(service_request.history(), author_id=request.user.pk),
        "attachments": list(service_request.attachments.all()),
        "add_form": add_form,
    }


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    service_request = _own_request(request, pk)
    return render(
        request,
        "servicerequests/detail.html",
        _detail(request, service_request, AddToRequestForm() if service_request.is_open else None),
    )


@login_required
@require_POST
def add(request: HttpRequest, pk: int) -> HttpResponse:
    """A comment and/or files from the author while the request is open."""
    service_request = _own_request(request, pk)
    form = AddToRequestForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.service_request_add(
                request=service_request,
                by=request.user,
                comment=form.cleaned_data["comment"],
                files=form.cleaned_data["files"],
            )
        except CaseStepRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, "Добавлено в заявку.")
            return redirect("servicerequests:detail", pk=pk)
    return render(
        request, "servicerequests/detail.html", _detail(request, service_request, form), status=400
    )


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    service_request = _own_request(request, pk)
    try:
        services.service_request_withdraw(request=service_request, by=request.user)
    except CaseStepRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, f"Заявка № {service_request.number} отозвана.")
    return redirect("servicerequests:detail", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    service_request = _own_request(request, pk)
    return rate_work(
        request,
        RatedWork.of(service_request),
        back=reverse("servicerequests:detail", args=[pk]),
    )


@login_required
@require_GET
def attachment(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """A file of a request: to its author, or to staff who may see personal data (the look is
    recorded in the journal of access to PD). Anyone else gets 404, whatever the URL."""
    found = (
        Attachment.objects.select_related("request").filter(pk=attachment_pk, request_id=pk).first()
    )
    if found is None:
        raise Http404
    owner_id = found.request.user_id
    if owner_id != request.user.pk:
        # The rule of every staff page: the PD right, and not while a PD request blocks the
        # person's data (then only that request's assignee sees it).
        if not (
            request.user.is_staff
            and request.user.has_perm("servicerequests.view_servicerequest")
            and subject_data_access(staff_user=request.user, subject_id=owner_id).visible
        ):
            raise Http404
        pd_access_log(
            staff_user=request.user,
            subject_ids=[owner_id],
            action=PersonalDataAccess.Action.VIEWED,
            page=request.path,
            object_label=f"файл заявки № {found.request.number}",
        )
    try:
        handle = found.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        content_type=found.content_type,
        as_attachment=found.content_type == Attachment.Type.PDF,
        filename=found.original_name,
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
