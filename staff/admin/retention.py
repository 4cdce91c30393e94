"""The journal of destruction by expiry of the retention period (`manage.py apply_retention`):
read only, written by the command alone, beside the destruction acts of the PD requests."""

from django.contrib import admin

from lkk.admin import ReadOnlyEvidenceAdmin
from lkk.models import RetentionRecord


@admin.register(RetentionRecord)
class RetentionRecordAdmin(ReadOnlyEvidenceAdmin):
    list_display = ("ran_at", "category_title", "action", "count", "retention")
    list_filter = ("category_title",)
    date_hierarchy = "ran_at"
    fields = ("ran_at", "category", "category_title", "retention", "action", "count")
    readonly_fields = fields
