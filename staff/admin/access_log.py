"""The journal of staff access to personal data: read by auditors, written only by the code."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from lkk.admin import ReadOnlyEvidenceAdmin
from lkk.personal_data import subject_reference
from staff.models import PersonalDataAccess


class StaffMemberFilter(admin.SimpleListFilter):
    """Staff are few: every one of them is a choice."""

    title = _("сотрудник")
    parameter_name = "staff_user"

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, str]]:
        staff = get_user_model().objects.filter(is_staff=True).order_by("last_name", "email")
        return [(str(member.pk), str(member)) for member in staff]

    def queryset(self, request: HttpRequest, queryset):
        value = self.value()
        return queryset.filter(staff_user_id=value) if value and value.isdigit() else queryset


class SubjectFilter(admin.SimpleListFilter):
    """Consumers are many: the filter is set from a row's link or by searching the number."""

    title = _("субъект персональных данных")
    parameter_name = "subject"

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, str]]:
        value = self.value()
        return [(value, subject_reference(int(value)))] if value and value.isdigit() else []

    def queryset(self, request: HttpRequest, queryset):
        value = self.value()
        return queryset.filter(subject_id=value) if value and value.isdigit() else queryset


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnlyEvidenceAdmin):
    """Read by auditors; written only by the code (a trigger refuses any change anyway)."""

    list_display = ("at", "staff_user", "subject_link", "action", "object_label", "page_link")
    list_filter = ("action", StaffMemberFilter, SubjectFilter, "at")
    list_select_related = ("staff_user",)
    search_fields = ("subject__id",)  # replaced by get_search_results; shows the search box
    search_help_text = _("Номер субъекта (число из столбца «Субъект»).")
    fields = (
        "at",
        "staff_user",
        "subject_reference",
        "action",
        "object_label",
        "page",
        "changed_fields",
    )
    readonly_fields = fields

    def get_search_results(self, request: HttpRequest, queryset, search_term: str):
        """A subject's number through the index, never a search over anyone's data."""
        term = search_term.strip().removeprefix("№").strip()
        if not term:
            return queryset, False
        if not term.isdigit():
            return queryset.none(), False
        return queryset.filter(subject_id=int(term)), False

    @admin.display(description=_("субъект"), ordering="subject_id")
    def subject_link(self, entry: PersonalDataAccess) -> str:
        url = reverse("admin:staff_personaldataaccess_changelist")
        return format_html(
            '<a href="{}?{}">{}</a>',
            url,
            urlencode({"subject": entry.subject_id}),
            subject_reference(entry.subject_id),
        )

    @admin.display(description=_("субъект"))
    def subject_reference(self, entry: PersonalDataAccess) -> str:
        return subject_reference(entry.subject_id)

    @admin.display(description=_("страница"))
    def page_link(self, entry: PersonalDataAccess) -> str:
        return format_html('<a href="{}">{}</a>', entry.page, entry.page)
