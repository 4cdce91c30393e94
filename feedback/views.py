from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from cases.workflow import history_rows
from feedback import guest_consent, services
from feedback.forms import FeedbackForm, SpecialistRatingForm
from feedback.models import FeedbackMessage
from feedback.services import RatedWork
from lkk.request_info import client_ip, client_user_agent, safe_next_url
from pdrequests.models import SubjectRequest

# The message just sent, for the confirmation page: only the browser that sent it sees it.
SENT_SESSION_KEY = "feedback_sent_message"


@require_http_methods(["GET", "POST"])
def feedback_form(request: HttpRequest, kind: str = FeedbackMessage.Kind.QUESTION) -> HttpResponse:
    """The feedback form for everyone; `kind` preselects a written claim on its own page."""
    form = FeedbackForm(
        request.POST if request.method == "POST" else None,
        user=request.user,
        initial={"kind": kind},
    )
    ip_address = client_ip(request)
    if request.method == "POST" and form.is_valid():
        try:
            message = services.feedback_message_create(
                kind=form.cleaned_data["kind"],
                subject=form.cleaned_data["subject"],
                text=form.cleaned_data["text"],
                user=None if form.is_guest else request.user,
                guest=form.guest(ip_address=ip_address, user_agent=client_user_agent(request)),
            )
        except services.FeedbackRateLimited:
            pass  # the form stays filled in; the page says when to send it
        else:
            request.session[SENT_SESSION_KEY] = message.pk
            return redirect("feedback:sent")
    retry_at = (
        services.guest_feedback_retry_at(ip_address=ip_address)
        if form.is_guest
        else services.user_feedback_retry_at(user=request.user)
    )
    return render(
        request,
        "feedback/form.html",
        {
            "form": form,
            "is_claim_page": kind == FeedbackMessage.Kind.CLAIM,
            "retry_at": retry_at,
            "answer_term_days": services.ANSWER_TERM_DAYS,
        },
    )


@require_GET
def sent(request: HttpRequest) -> HttpResponse:
    """The confirmation with the message's number."""
    message_pk = request.session.get(SENT_SESSION_KEY)
    message = FeedbackMessage.objects.filter(pk=message_pk).first() if message_pk else None
    if message is None:
        return redirect("feedback:form")
    return render(request, "feedback/sent.html", {"message": message})


@require_GET
def consent(request: HttpRequest) -> HttpResponse:
    """The wording of a guest's consent, which the form's checkbox links to."""
    return render(
        request,
        "feedback/consent.html",
        {
            "title": guest_consent.TITLE,
            "version": guest_consent.VERSION,
            "text": guest_consent.text(),
        },
    )


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """«Мои обращения»: the consumer's messages with their statuses and answers, in one query."""
    return render(
        request,
        "feedback/mine.html",
        {"feedback_messages": FeedbackMessage.objects.for_author(request.user)},
    )


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(
        FeedbackMessage.objects.select_related("specialist_rating"), pk=pk, user=request.user
    )
    history = history_rows(message.history(), author_id=message.user_id)
    return render(request, "feedback/detail.html", {"message": message, "history": history})


@login_required
@require_http_methods(["GET", "POST"])
def rate_message(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(
        FeedbackMessage.objects.select_related("specialist_rating"), pk=pk, user=request.user
    )
    return rate_work(request, RatedWork.of(message), back=reverse("feedback:detail", args=[pk]))


@login_required
@require_http_methods(["GET", "POST"])
def rate_subject_request(request: HttpRequest, pk: int) -> HttpResponse:
    subject_request = get_object_or_404(
        SubjectRequest.objects.select_related("specialist_rating"), pk=pk, subject=request.user
    )
    return rate_work(
        request,
        RatedWork.of(subject_request),
        back=reverse("pdrequests:request_detail", args=[pk]),
    )


def rate_work(request: HttpRequest, work: RatedWork, *, back: str) -> HttpResponse:
    """The rating form of one piece of work; the owner's only (the callers answer 404 to anyone
    else). Back to the page it was sent from, or to `back`."""
    form = SpecialistRatingForm(
        request.POST if request.method == "POST" else None, author=request.user, work=work
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.specialist_rating_create(
                author=request.user,
                work=work,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
            )
        except services.RatingRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, "Спасибо! Ваша оценка сохранена.")
            return redirect(safe_next_url(request, default=back))
    return render(
        request,
        "feedback/rate.html",
        {
            "work": work,
            "form": form,
            "refusal": work.refusal(author=request.user),
            "next": safe_next_url(request, default=back),
        },
    )
