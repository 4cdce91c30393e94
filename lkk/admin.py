"""The admin site and the pieces every app's admin shares.

No model is registered here: this module defines the site, so a registration made while the
lazy `admin.site` is being built lands on a site that is thrown away (the retention journal's
admin lives in `staff.admin.retention`).

List filters are named one way in every app: a class `<Thing>Filter` and an English
`parameter_name` that means the same wherever it appears — `due` (`open`, `overdue`, …) for a
term, `assignee` (`mine`, `nobody`) for who works a record, `year` for a calendar year.
"""

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.db import models
from django.db.models.constants import LOOKUP_SEP
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.template.response import TemplateResponse
from django.urls import resolve, reverse
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache

from lkk.request_info import safe_next_url

# The mixins below go in front of admin.ModelAdmin; the type checker is told so.
if TYPE_CHECKING:
    _ModelAdmin = admin.ModelAdmin
else:
    _ModelAdmin = object


# What a declared list filter puts after its field's path in the query string: Django's field
# filters use these (`status__exact`, `purpose__id__exact`, `created_at__gte`, `reply__isnull`).
FILTER_LOOKUPS = frozenset(
    {"", "exact", "isnull", "isempty", "gte", "lt", "in", "id__exact", "pk__exact", "id__in"}
)
# What the date hierarchy puts after its field's path.
DATE_HIERARCHY_LOOKUPS = frozenset({"year", "month", "day"})
# A foreign key to the subject filtered by number names nobody (the consent history link).
KEY_LOOKUPS = frozenset({"", "exact", "in", "isnull", "id", "id__exact", "id__in", "pk__exact"})
# A whole email address, as staff paste it into a search.
WHOLE_ADDRESS = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def planned_rows(queryset: models.QuerySet) -> int:
    """How many rows PostgreSQL's planner expects the query to return: read from the
    table's statistics (`pg_class.reltuples` and the columns' histograms), no row is read."""
    plan = json.loads(queryset.order_by().explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])


class EstimatedCountPaginator(Paginator):
    """The admin lists' paginator: an exact count up to `EXACT_UP_TO` rows, the planner's
    estimate beyond.

    Django counts every list with COUNT(*), which reads the whole result: a second and more on a
    table of millions, on every page. Here the count stops reading after `EXACT_UP_TO` rows, so
    its cost is bounded whatever the table's size; a bigger list shows the planner's estimate
    (which tells staff just as much), and its last pages are reached by narrowing the list.
    """

    EXACT_UP_TO = 10_000

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if not isinstance(queryset, models.QuerySet):
            return super().count
        counted = queryset.order_by()[: self.EXACT_UP_TO + 1].count()
        if counted <= self.EXACT_UP_TO:
            return counted
        return max(planned_rows(queryset), counted)


class DeclaredLookupsAdminMixin(_ModelAdmin):
    """Every admin list accepts only the filters its admin declares.

    Django's admin accepts any lookup on a model's own fields from the query string
    (`?last_name__startswith=И`): with it, staff could learn a masked value one character at a
    time. Here a parameter is accepted only when a declared list filter, the date hierarchy or
    `declared_lookups` produces it, and never on a field of `personal_data_fields` (but by the
    subject's number) for staff without the PD right. Anything else answers 400.
    """

    # The base of every admin of the portal, so also where their lists are made to stay fast
    # on tables of millions: no second count of the whole table, a bounded count of the list.
    paginator = EstimatedCountPaginator
    show_full_result_count = False

    personal_data_fields: dict[str, str | None] = {}
    # Parameters the portal's own links use beyond the list filters (`user__id__exact`).
    declared_lookups: tuple[str, ...] = ()
    # The PD right (`staff.roles.VIEW_PERSONAL_DATA`), named here since lkk imports no app.
    personal_data_permission = "staff.view_personal_data"

    def _declared_field_paths(self, request: HttpRequest) -> tuple[set[str], set[str]]:
        from django.contrib.admin.filters import ListFilter

        paths: set[str] = set()
        parameters: set[str] = set(self.declared_lookups)
        for item in self.get_list_filter(request):
            if isinstance(item, type) and issubclass(item, ListFilter):
                parameter_name = getattr(item, "parameter_name", None)
                if parameter_name:
                    parameters.add(parameter_name)
            elif isinstance(item, (list, tuple)):  # ("field", SomeFieldListFilter)
                paths.add(str(item[0]))
            else:  # "field"
                paths.add(str(item))
        return paths, parameters

    def _declared(self, request: HttpRequest, lookup: str) -> bool:
        paths, parameters = self._declared_field_paths(request)
        if lookup in parameters:
            return True
        for field_path in paths:
            if lookup == field_path or lookup.startswith(f"{field_path}{LOOKUP_SEP}"):
                rest = lookup.removeprefix(field_path).removeprefix(LOOKUP_SEP)
                if rest in FILTER_LOOKUPS:
                    return True
        if self.date_hierarchy and lookup.startswith(f"{self.date_hierarchy}{LOOKUP_SEP}"):
            suffix = lookup.removeprefix(f"{self.date_hierarchy}{LOOKUP_SEP}")
            return suffix in DATE_HIERARCHY_LOOKUPS | FILTER_LOOKUPS
        return False

    def lookup_is_personal_data(self, lookup: str) -> bool:
        field, _sep, rest = lookup.partition(LOOKUP_SEP)
        if field not in self.personal_data_fields:
            return False
        try:
            is_key = self.model._meta.get_field(field).is_relation
        except FieldDoesNotExist:  # a stand-in's name: nothing to filter, nothing to allow
            return True
        return not (is_key and rest in KEY_LOOKUPS)

    def get_search_results(self, request: HttpRequest, queryset, search_term: str):
        """A whole email address is looked up as stored (lower-cased, under a unique index) in
        the search fields holding addresses; any other term as Django searches, by its parts
        (trigram indexes answer those). Every part of an address is in a million others'
        (`@mail.ru`), so searching a whole one by its parts would read them all."""
        term = search_term.strip()
        address_fields = [
            field
            for field in self.get_search_fields(request)
            if field == "email" or field.endswith(f"{LOOKUP_SEP}email")
        ]
        if address_fields and WHOLE_ADDRESS.fullmatch(term):
            found = models.Q()
            for field in address_fields:
                found |= models.Q(**{field: term.lower()})
            return queryset.filter(found), False
        return super().get_search_results(request, queryset, search_term)

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest) -> bool:
        if not self._declared(request, lookup):
            return False
        if self.lookup_is_personal_data(lookup) and not request.user.has_perm(
            self.personal_data_permission
        ):
            return False
        return super().lookup_allowed(lookup, value, request)


class ReadOnlyEvidenceAdmin(DeclaredLookupsAdminMixin, admin.ModelAdmin):
    """The one read-only admin: evidence (a trigger refuses changes anyway), journals, statistics
    and summaries are viewed here, never added, changed or deleted."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


# The admin's index in the order of the staff's day: the work first (the desk, PD requests,
# feedback and claims, service requests, incidents), then the consumers' data, the texts and
# calendars, the people, and last the portal's own machinery. Apps not named here follow, by name.
ADMIN_APP_ORDER = (
    "pdrequests",
    "feedback",
    "servicerequests",
    "incidents",
    "staff",
    "consents",
    "billing",
    "bills",
    "meters",
    "mailings",
    "privacy",
    "workcalendar",
    "visits",
    "accounts",
    "auth",
    "lkk",
    "axes",
    "django_tasks_database",
)


class PortalAdminSite(admin.AdminSite):
    """The one admin site, branded for the operator's staff. Only a session that has passed the
    second factor (django-otp) opens it, and staff sign in through the portal's one sign-in."""

    site_header = "ЛКК АО «ИЭК» — администрирование"
    site_title = "ЛКК АО «ИЭК»"
    index_title = "Управление порталом"

    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list[dict]:
        """The apps in ADMIN_APP_ORDER (Django's own order is alphabetical)."""
        position = {label: index for index, label in enumerate(ADMIN_APP_ORDER)}
        apps = super().get_app_list(request, app_label)
        return sorted(apps, key=lambda app: position.get(app["app_label"], len(position)))

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
