"""Destruction acts: kept with their requests, viewed and printed, never changed."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pdrequests.models import DestructionAct
from staff.personal_data import DeclaredLookupsAdminMixin

METHOD = gettext_lazy(
    "удаление и необратимое обезличивание записей в базе данных средствами информационной системы"
)


@admin.register(DestructionAct)
class DestructionActAdmin(DeclaredLookupsAdminMixin, admin.ModelAdmin):
    list_display = ("request", "subject_reference", "destroyed_at", "performed_by", "print_link")
    list_select_related = ("request", "performed_by")
    search_fields = ("request__number",)
    search_help_text = gettext_lazy("Номер обращения.")
    fields = (
        "request",
        "subject_reference",
        "destroyed_at",
        "performed_by",
        "reason",
        "categories_list",
        "systems_list",
        "print_link",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # an act is made by the destruction itself

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description=gettext_lazy("категории данных"))
    def categories_list(self, act: DestructionAct) -> str:
        return format_html_join("", "<div>{}</div>", ((item,) for item in act.categories))

    @admin.display(description=gettext_lazy("информационные системы"))
    def systems_list(self, act: DestructionAct) -> str:
        return format_html_join("", "<div>{}</div>", ((item,) for item in act.systems))

    @admin.display(description=gettext_lazy("печатная форма"))
    def print_link(self, act: DestructionAct) -> str:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:pdrequests_destructionact_print", args=[act.pk]),
            _("Открыть для печати"),
        )

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "<int:act_id>/pechat/",
                self.admin_site.admin_view(self.print_view),
                name="pdrequests_destructionact_print",
            ),
            *super().get_urls(),
        ]

    def print_view(self, request: HttpRequest, act_id: int) -> TemplateResponse:
        """The act as a document to print and sign: the portal's page with the print styles."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        act = (
            DestructionAct.objects.select_related("request", "performed_by")
            .filter(pk=act_id)
            .first()
        )
        if act is None:
            raise Http404
        context = {
            "act": act,
            "method": METHOD,
            # Labelled in the act's words by the registry's erase operations.
            "counts": [(label, count) for label, count in act.counts.items() if count],
            "request_url": reverse("admin:pdrequests_subjectrequest_change", args=[act.request_id]),
        }
        return TemplateResponse(request, "admin/pdrequests/destruction_act.html", context)
