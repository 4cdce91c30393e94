"""Destruction acts: kept with their requests, viewed and printed, never changed."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pdrequests.act_document import EXTRACT_HEADER, act_document, act_file_name, act_pdf
from pdrequests.models import DestructionAct
from staff.personal_data import DeclaredLookupsAdminMixin


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
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("admin:pdrequests_destructionact_print", args=[act.pk]),
            _("Открыть для печати"),
            reverse("admin:pdrequests_destructionact_pdf", args=[act.pk]),
            _("PDF"),
        )

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "<int:act_id>/pechat/",
                self.admin_site.admin_view(self.print_view),
                name="pdrequests_destructionact_print",
            ),
            path(
                "<int:act_id>/pdf/",
                self.admin_site.admin_view(self.pdf_view),
                name="pdrequests_destructionact_pdf",
            ),
            *super().get_urls(),
        ]

    def _act(self, request: HttpRequest, act_id: int) -> DestructionAct:
        if not self.has_view_permission(request):
            raise PermissionDenied
        act = (
            DestructionAct.objects.select_related("request", "performed_by")
            .filter(pk=act_id)
            .first()
        )
        if act is None:
            raise Http404
        return act

    def print_view(self, request: HttpRequest, act_id: int) -> TemplateResponse:
        """The act with its extract as a document to print and sign (the print styles)."""
        act = self._act(request, act_id)
        context = {
            "act": act,
            "document": act_document(act),
            "extract_header": EXTRACT_HEADER,
            "request_url": reverse("admin:pdrequests_subjectrequest_change", args=[act.request_id]),
            "pdf_url": reverse("admin:pdrequests_destructionact_pdf", args=[act.pk]),
        }
        return TemplateResponse(request, "admin/pdrequests/destruction_act.html", context)

    def pdf_view(self, request: HttpRequest, act_id: int) -> HttpResponse:
        act = self._act(request, act_id)
        response = HttpResponse(act_pdf(act), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{act_file_name(act)}"'
        return response
