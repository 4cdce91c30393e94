from django.contrib import admin
from django.http import HttpRequest

from lkk.models import RetentionRecord


class PortalAdminSite(admin.AdminSite):
    site_header = "ЛКК АО «ИЭК» — администрирование"
    site_title = "ЛКК АО «ИЭК»"
    index_title = "Управление порталом"


@admin.register(RetentionRecord)
class RetentionRecordAdmin(admin.ModelAdmin):
    """What `apply_retention` destroyed, day by day: read only, written by the command alone."""

    list_display = ("ran_at", "category_title", "action", "count", "retention")
    list_filter = ("category_title",)
    date_hierarchy = "ran_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
