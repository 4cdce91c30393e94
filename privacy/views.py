from datetime import timedelta
from itertools import zip_longest

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from lkk.request_info import safe_next_url
from privacy.context_processors import COOKIE_NOTICE_COOKIE
from privacy.diff import diff_policy_texts
from privacy.forms import PolicyDiffForm
from privacy.models import PolicyVersion
from privacy.public_pages import public_page

COOKIE_NOTICE_MAX_AGE = timedelta(days=365)


def render_policy_page(
    request: HttpRequest,
    version: PolicyVersion,
    *,
    current: PolicyVersion | None,
    is_preview: bool = False,
) -> HttpResponse:
    """One version as the public sees it; the admin's draft preview uses the same page."""
    return render(
        request,
        "privacy/policy_detail.html",
        {"version": version, "current": current, "is_preview": is_preview},
    )


@public_page()
@require_safe
def policy_current(request: HttpRequest) -> HttpResponse:
    current = PolicyVersion.objects.current()
    if current is None:
        return render(request, "privacy/policy_missing.html", status=404)
    return render_policy_page(request, current, current=current)


@public_page()
@require_safe
def policy_version(request: HttpRequest, label: str) -> HttpResponse:
    version = get_object_or_404(PolicyVersion.objects.published(), label=label)
    return render_policy_page(request, version, current=PolicyVersion.objects.current())


@public_page()
@require_safe
def policy_versions(request: HttpRequest) -> HttpResponse:
    versions = list(PolicyVersion.objects.published().defer("body"))
    # Each version beside the one published before it, for its "what changed" link.
    rows = list(zip_longest(versions, versions[1:]))
    return render(
        request,
        "privacy/policy_versions.html",
        {"rows": rows, "current": PolicyVersion.objects.current()},
    )


@public_page(query=("from", "to"))
@require_safe
def policy_diff(request: HttpRequest) -> HttpResponse:
    """Compares any two published versions; by default the current one with its predecessor."""
    versions = list(PolicyVersion.objects.published().defer("body"))
    if len(versions) < 2:
        return render(request, "privacy/policy_diff.html", {"form": None, "diff": None})
    new_label = request.GET.get("to") or _default_new_label(versions)
    data = {
        "to": new_label,
        "from": request.GET.get("from") or _preceding_label(versions, new_label),
    }
    if data["from"] == "":  # the first version: nothing precedes it, the reader chooses
        form = PolicyDiffForm(None, initial=data, versions=versions)
    else:
        form = PolicyDiffForm(data, versions=versions)
    context = {"form": form, "diff": None}
    if form.is_valid():
        old, new = form.selected()
        bodies = PolicyVersion.objects.in_bulk([old.pk, new.pk])
        context.update(
            old=old,
            new=new,
            diff=diff_policy_texts(bodies[old.pk].body, bodies[new.pk].body),
        )
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "privacy/policy_diff.html", context, status=status)


def _default_new_label(versions: list[PolicyVersion]) -> str:
    current = PolicyVersion.objects.current()
    return current.label if current else versions[0].label


def _preceding_label(versions: list[PolicyVersion], label: str) -> str | None:
    """The version before `label` (versions come newest first): "" for the first one, None
    for a label that is not published (the form then says so)."""
    labels = [version.label for version in versions]
    if label not in labels:
        return None
    position = labels.index(label)
    return labels[position + 1] if position + 1 < len(labels) else ""


@require_POST
def cookie_notice_dismiss(request: HttpRequest) -> HttpResponseRedirect:
    """Hides the cookie notice for a year; works without JavaScript, returns to the page."""
    response = HttpResponseRedirect(safe_next_url(request, default=reverse("home")))
    response.set_cookie(
        COOKIE_NOTICE_COOKIE,
        "1",
        max_age=COOKIE_NOTICE_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response
