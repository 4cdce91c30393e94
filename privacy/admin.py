from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext as _

from lkk.admin import DeclaredLookupsAdminMixin
from privacy.forms import PolicyVersionAdminForm
from privacy.models import PolicyVersion
from privacy.services import policy_publish
from privacy.views import render_policy_page

PUBLISH_BUTTON = "_publish"


@admin.register(PolicyVersion)
class PolicyVersionAdmin(DeclaredLookupsAdminMixin, admin.ModelAdmin):
    """Drafts are edited, previewed and published here; a published version is read-only."""

    form = PolicyVersionAdminForm
    change_form_template = "privacy/admin/change_form.html"
    list_display = ["label", "title", "effective_date", "status", "published_at", "published_by"]
    list_display_links = ["label", "title"]
    list_filter = ["status"]
    search_fields = ["label", "title"]
    list_select_related = ["published_by"]
    readonly_fields = ["status", "published_at", "published_by", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["label", "title", "effective_date", "requires_renewed_consent"]}),
        (
            _("Текст"),
            {
                "fields": ["body"],
                # The admin shows descriptions as HTML: the angle brackets are escaped.
                "description": _(
                    "Markdown: «## 1. Раздел» — заголовок раздела (попадает в содержание), "
                    "**жирный**, «- » — пункт списка, &lt;https://…&gt; — ссылка. "
                    "Скрипты и опасная разметка удаляются при показе."
                ),
            },
        ),
        (_("Публикация"), {"fields": readonly_fields}),
    ]

    def view_on_site(self, obj: PolicyVersion) -> str | None:
        return obj.get_absolute_url() if obj.is_published else None

    def has_change_permission(self, request: HttpRequest, obj: PolicyVersion | None = None):
        # Without change permission the admin shows a published version read-only.
        if obj is not None and obj.is_published:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: PolicyVersion | None = None):
        if obj is not None and obj.is_published:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(
        self, request: HttpRequest, action_location=admin.ActionLocation.CHANGE_LIST
    ) -> dict:
        # Bulk deletion would reach published versions too; drafts are deleted one by one.
        actions = super().get_actions(request, action_location=action_location)
        actions.pop("delete_selected", None)
        return actions

    def get_form(self, request: HttpRequest, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.publishing = PUBLISH_BUTTON in request.POST and self._may_publish(request)
        return form

    def get_urls(self):
        preview = path(
            "<int:object_id>/preview/",
            self.admin_site.admin_view(self.preview_view),
            name="privacy_policyversion_preview",
        )
        return [preview, *super().get_urls()]

    def preview_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """The draft exactly as the public page will show it."""
        version = get_object_or_404(PolicyVersion, pk=object_id)
        if not self.has_view_or_change_permission(request, version):
            raise PermissionDenied
        return render_policy_page(
            request, version, current=PolicyVersion.objects.current(), is_preview=True
        )

    def render_change_form(self, request: HttpRequest, context: dict, *args, **kwargs):
        context["may_publish"] = self._may_publish(request)
        context["publish_button"] = PUBLISH_BUTTON
        return super().render_change_form(request, context, *args, **kwargs)

    def response_add(self, request: HttpRequest, obj: PolicyVersion, post_url_continue=None):
        if PUBLISH_BUTTON in request.POST and self._may_publish(request):
            return self._publish(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request: HttpRequest, obj: PolicyVersion):
        if PUBLISH_BUTTON in request.POST and self._may_publish(request):
            return self._publish(request, obj)
        return super().response_change(request, obj)

    def _may_publish(self, request: HttpRequest) -> bool:
        return request.user.has_perm("privacy.publish_policyversion")

    def _publish(self, request: HttpRequest, obj: PolicyVersion) -> HttpResponse:
        """Runs in the admin's transaction, right after the draft's changes were saved."""
        try:
            published = policy_publish(version=obj, by=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(
                reverse("admin:privacy_policyversion_change", args=[obj.pk])
            )
        self.message_user(
            request,
            _("Редакция %(label)s опубликована и больше не может быть изменена.")
            % {"label": published.label},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:privacy_policyversion_changelist"))
