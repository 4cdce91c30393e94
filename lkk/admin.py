"""The admin site and the pieces every app's admin shares.

No model is registered here: this module defines the site, so a registration made while the
lazy `admin.site` is being built lands on a site that is thrown away (the retention journal's
admin lives in `staff.admin.retention`).

List filters are named one way in every app: a class `<Thing>Filter` and an English
`parameter_name` that means the same wherever it appears — `due` (`open`, `overdue`, …) for a
term, `assignee` (`mine`, `nobody`) for who works a record, `year` for a calendar year.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.template.response import TemplateResponse
from django.urls import resolve, reverse
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache

from lkk.request_info import safe_next_url


class PortalAdminSite(admin.AdminSite):
    """The one admin site, branded for the operator's staff. Only a session that has passed the
    second factor (django-otp) opens it, and staff sign in through the portal's one sign-in."""

    site_header = "ЛКК АО «ИЭК» — администрирование"
    site_title = "ЛКК АО «ИЭК»"
    index_title = "Управление порталом"

    def has_permission(self, request: HttpRequest) -> bool:
        # django-otp's middleware adds is_verified(); without it nothing is verified.
        verified = getattr(request.user, "is_verified", lambda: False)()
        return super().has_permission(request) and bool(verified)

    @method_decorator(never_cache)
    @method_decorator(login_not_required)
    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        """No sign-in form of the admin's own: the portal's two-step sign-in (`LOGIN_URL`) answers
        here too, so its lockout and second step hold for /admin/login/ as well."""
        next_url = safe_next_url(request, default=reverse("admin:index", current_app=self.name))
        user = request.user
        if user.is_authenticated:
            if self.has_permission(request):
                return redirect(next_url)
            if user.is_active and user.is_staff:
                query = urlencode({REDIRECT_FIELD_NAME: next_url})
                return redirect(f"{reverse('accounts:second_factor_code')}?{query}")
            raise PermissionDenied
        login_view = resolve(resolve_url(settings.LOGIN_URL)).func
        return login_view(request)


@dataclass(frozen=True)
class BulkConfirmation:
    """What the confirmation page of a bulk admin action shows before anything is done: a
    sentence on what will happen, a table with a row per chosen object, and the button."""

    title: str
    here: str  # the last breadcrumb
    explanation: str
    columns: Sequence[str]  # the first column names the object itself
    rows: Sequence[tuple[models.Model, Sequence[object]]]
    button: str


def bulk_action_confirmed(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    *,
    action: str,
    confirmation: Callable[[], BulkConfirmation],
) -> TemplateResponse | None:
    """None once the person has confirmed the action `action` (the caller then does the work);
    until then the confirmation page (`admin/bulk_confirm.html`) to return from the action.

    `confirmation` is called only when the page is shown: counting recipients can be costly.
    """
    if request.POST.get("confirmed") == "yes":
        return None
    page = confirmation()
    return TemplateResponse(
        request,
        "admin/bulk_confirm.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": page.title,
            "here": page.here,
            "explanation": page.explanation,
            "columns": page.columns,
            "rows": page.rows,
            "button": page.button,
            "action": action,
            "opts": modeladmin.model._meta,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        },
    )
