from typing import ClassVar

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode

from consents.models import ConsentPurpose, ConsentRecord, ConsentText, PolicyAcknowledgement
from consents.services import consent_text_publish
from lkk.admin import ReadOnlyEvidenceAdmin
from staff.personal_data import DeclaredLookupsAdminMixin, SubjectRecordAdminMixin


def consent_history_admin_url(user) -> str:
    """The user's full, read-only consent history in the admin (for the user admin page)."""
    changelist = reverse("admin:consents_consentrecord_changelist")
    return f"{changelist}?{urlencode({'user__id__exact': user.pk})}"


@admin.register(ConsentPurpose)
class ConsentPurposeAdmin(DeclaredLookupsAdminMixin, admin.ModelAdmin):
    list_display = ("name", "code", "is_required", "ordering", "current_text_link")
    list_editable = ("ordering",)
    fields = ("code", "name", "is_required", "ordering")

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> tuple[str, ...]:
        # The code and whether the consent is required are what the portal's logic relies on.
        return ("code", "is_required") if obj else ()

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description="текст согласия")
    def current_text_link(self, purpose: ConsentPurpose) -> str:
        return format_html(
            '<a href="{}">открыть на сайте</a>', reverse("consents:document", args=[purpose.code])
        )


class ConsentTextPublishForm(forms.ModelForm):
    class Meta:
        model = ConsentText
        fields = ("purpose", "title", "body")
        widgets = {"body": forms.Textarea(attrs={"rows": 30, "cols": 100})}

    def clean(self) -> dict:
        cleaned = super().clean()
        purpose = cleaned.get("purpose")
        if purpose is None:
            return cleaned
        current = purpose.texts.order_by("-version").first()
        if (
            current is not None
            and current.title == cleaned.get("title")
            and current.body.strip() == (cleaned.get("body") or "").strip()
        ):
            raise ValidationError(
                "Текст не изменился: новая редакция публикуется, только когда текст изменён."
            )
        return cleaned


@admin.register(ConsentText)
class ConsentTextAdmin(DeclaredLookupsAdminMixin, admin.ModelAdmin):
    """Staff edit a text by publishing a new version based on the current one.

    A published version is evidence of what people agreed to, so it is only viewed here; the
    "new version" link opens the add form pre-filled with its wording.
    """

    form = ConsentTextPublishForm
    list_display = ("title", "purpose", "version", "published_at", "published_by")
    list_filter = ("purpose",)
    list_select_related = ("purpose", "published_by")
    readonly_fields = ("version", "published_at", "published_by", "new_version_link")

    def get_fields(self, request: HttpRequest, obj=None) -> tuple[str, ...]:
        if obj is None:
            return ("purpose", "title", "body")
        return (
            "purpose",
            "version",
            "title",
            "body",
            "published_at",
            "published_by",
            "new_version_link",
        )

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # view only: a published version never changes

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        based_on = request.GET.get("based_on")
        if based_on and based_on.isdigit():
            text = ConsentText.objects.filter(pk=based_on).first()
            if text is not None:
                return {"purpose": text.purpose_id, "title": text.title, "body": text.body}
        return super().get_changeform_initial_data(request)

    def save_model(self, request: HttpRequest, obj: ConsentText, form, change: bool) -> None:
        published = consent_text_publish(
            purpose=form.cleaned_data["purpose"],
            title=form.cleaned_data["title"],
            body=form.cleaned_data["body"],
            published_by=request.user,
        )
        # The admin's messages and redirect use `obj`: let it be the version just published.
        obj.pk = published.pk
        obj.version = published.version
        obj.published_at = published.published_at

    @admin.display(description="изменить текст")
    def new_version_link(self, text: ConsentText) -> str:
        url = reverse("admin:consents_consenttext_add") + "?" + urlencode({"based_on": text.pk})
        return format_html(
            '<a class="button" href="{}">Подготовить новую редакцию на основе этой</a>', url
        )


@admin.register(ConsentRecord)
class ConsentRecordAdmin(SubjectRecordAdminMixin, ReadOnlyEvidenceAdmin):
    # The list never shows personal data (`staff.personal_data`); a record's page does, to
    # those allowed, and is recorded.
    list_display = (
        "created_at",
        "masked_subject",
        "purpose",
        "action",
        "text_version",
        "policy_version",
        "source",
        "masked_ip_address",
        "acted_by",
    )
    personal_data_fields = {
        "user": "masked_subject",
        "ip_address": "masked_ip_address",
        "user_agent": "",
        "representative_name": "hidden_personal_data",
        "represented_name": "hidden_personal_data",
        "basis_document_number": "hidden_personal_data",
    }
    list_filter: ClassVar[tuple[str, ...]] = ("purpose", "action", "source", "created_at")
    declared_lookups = ("user__id__exact",)  # consent_history_admin_url
    search_fields = ("user__email",)
    list_select_related = ("user", "purpose", "text", "policy_version", "acted_by")
    fieldsets = (
        (None, {"fields": ("user", "purpose", "action", "text", "policy_version", "created_at")}),
        ("Откуда", {"fields": ("source", "ip_address", "user_agent", "acted_by")}),
        (
            "Законный представитель",
            {
                "fields": (
                    "representative_name",
                    "represented_name",
                    "basis_document_type",
                    "basis_document_number",
                )
            },
        ),
    )

    @admin.display(description="редакция текста", ordering="text__version")
    def text_version(self, record: ConsentRecord) -> str:
        return f"№ {record.text.version}"


@admin.register(PolicyAcknowledgement)
class PolicyAcknowledgementAdmin(SubjectRecordAdminMixin, ReadOnlyEvidenceAdmin):
    list_display = ("created_at", "masked_subject", "policy_version", "masked_ip_address")
    fields = ("user", "policy_version", "created_at", "ip_address", "user_agent")
    personal_data_fields = ConsentRecordAdmin.personal_data_fields
    list_filter = ("policy_version",)
    search_fields = ("user__email",)
    list_select_related = ("user", "policy_version")
