from django.contrib import admin
from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lkk.admin import DeclaredLookupsAdminMixin
from workcalendar.models import CalendarOverride
from workcalendar.official import official_day_name, official_is_working_day


class YearFilter(admin.SimpleListFilter):
    """The years that have overrides, newest first: staff check one year's decree at a time."""

    title = _("год")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = model_admin.get_queryset(request).dates("date", "year", order="DESC")
        return [(str(year.year), str(year.year)) for year in years]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(date__year=int(value))
        return queryset


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(DeclaredLookupsAdminMixin, admin.ModelAdmin):
    list_display = (
        "date_with_weekday",
        "day_status",
        "official_status",
        "reason",
        "created_by",
        "created_at",
    )
    list_display_links = ("date_with_weekday",)
    list_filter = (YearFilter, "is_working_day")
    list_select_related = ("created_by",)
    search_fields = ("reason",)
    ordering = ("-date",)
    fields = ("date", "is_working_day", "reason", "official_status", "created_by", "created_at")
    readonly_fields = ("official_status", "created_by", "created_at")

    @admin.display(description=_("дата"), ordering="date")
    def date_with_weekday(self, override: CalendarOverride) -> str:
        weekday = formats.date_format(override.date, "l").lower()
        return f"{formats.date_format(override.date, 'd.m.Y')}, {weekday}"

    @admin.display(description=_("по исключению"), ordering="is_working_day")
    def day_status(self, override: CalendarOverride) -> str:
        return gettext("рабочий") if override.is_working_day else gettext("нерабочий")

    @admin.display(description=_("по общему календарю"))
    def official_status(self, override: CalendarOverride) -> str:
        """What the `holidays` package says, so staff see what the override changes."""
        if override.date is None:
            return "—"
        if official_is_working_day(override.date):
            return gettext("рабочий")
        return gettext("нерабочий — %(name)s") % {
            "name": official_day_name(override.date) or gettext("выходной")
        }

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
