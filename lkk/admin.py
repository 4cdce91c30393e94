"""The admin site and the pieces every app's admin shares.

List filters are named one way in every app: a class `<Thing>Filter` and an English
`parameter_name` that means the same wherever it appears — `due` (`open`, `overdue`, …) for a
term, `assignee` (`mine`, `nobody`) for who works a record, `year` for a calendar year.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import models
from django.http import HttpRequest
from django.template.response import TemplateResponse


class PortalAdminSite(admin.AdminSite):
    site_header = "ЛКК АО «ИЭК» — администрирование"
    site_title = "ЛКК АО «ИЭК»"
    index_title = "Управление порталом"


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
