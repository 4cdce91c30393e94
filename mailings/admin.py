"""Staff write a mailing here, see it as the letter will show it, and send it."""

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.html import format_html

from lkk.admin import BulkConfirmation, ReadOnlyEvidenceAdmin, bulk_action_confirmed
from mailings import services
from mailings.models import Mailing, MailingDelivery
from staff.personal_data import DeclaredLookupsAdminMixin, SubjectRecordAdminMixin


@admin.register(Mailing)
class MailingAdmin(DeclaredLookupsAdminMixin, admin.ModelAdmin):
    list_display = ("subject", "status", "progress", "created_at", "sent_at")
    list_filter = ("status",)
    search_fields = ("subject",)
    actions = ("send_mailing",)
    fields = (
        "subject",
        "body_format",
        "body",
        "preview",
        "status",
        "progress",
        "created_at",
        "created_by",
        "send_started_at",
        "send_started_by",
        "sent_at",
    )
    readonly_fields = (
        "preview",
        "status",
        "progress",
        "created_at",
        "created_by",
        "send_started_at",
        "send_started_by",
        "sent_at",
    )

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).with_progress()

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> tuple[str, ...]:
        if obj is not None and obj.status != Mailing.Status.DRAFT:
            return ("subject", "body_format", "body", *self.readonly_fields)
        return self.readonly_fields

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # A draft may go; a mailing that went out is the record of what people were sent.
        return super().has_delete_permission(request, obj) and (
            obj is None or obj.status == Mailing.Status.DRAFT
        )

    def has_send_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("mailings.send_mailing")

    def save_model(self, request: HttpRequest, obj: Mailing, form, change: bool) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description="как в письме")
    def preview(self, mailing: Mailing) -> str:
        if not mailing.pk:
            return "Сохраните черновик, чтобы увидеть письмо."
        return format_html('<div class="mailing-preview">{}</div>', mailing.body_html())

    @admin.display(description="отправлено")
    def progress(self, mailing: Mailing) -> str:
        if mailing.pk is None or mailing.status == Mailing.Status.DRAFT:
            return "—"
        return f"{mailing.sent_count} из {mailing.recipients_total}"

    @admin.action(description="Отправить рассылку", permissions=["send"])
    def send_mailing(self, request: HttpRequest, queryset):
        """Asks first: the page says how many people will get each letter now."""
        mailings = list(queryset)
        page = bulk_action_confirmed(
            self,
            request,
            action="send_mailing",
            confirmation=lambda: BulkConfirmation(
                title="Отправить рассылку?",
                here="Отправить рассылку",
                explanation=(
                    "Письмо получат только те, чьё согласие на рассылку действует в момент "
                    "отправки, у кого подтверждён адрес, открыта учётная запись и не заблокированы "
                    "данные. Кто уже получил рассылку, второй раз её не получит. В каждом письме "
                    "есть ссылка для отписки."
                ),
                columns=["Рассылка", "Состояние", "Получат письмо сейчас"],
                rows=[
                    (
                        mailing,
                        [
                            mailing.get_status_display(),
                            services.mailing_recipients_due(mailing=mailing).count(),
                        ],
                    )
                    for mailing in mailings
                ],
                button="Отправить",
            ),
        )
        if page is not None:
            return page
        for mailing in mailings:
            due = services.mailing_send(mailing=mailing, started_by=request.user)
            self.message_user(
                request,
                f"«{mailing}»: отправка начата, писем к отправке: {due}. "
                "Кто уже получил эту рассылку, второй раз её не получит.",
                messages.SUCCESS,
            )
        return None


@admin.register(MailingDelivery)
class MailingDeliveryAdmin(SubjectRecordAdminMixin, ReadOnlyEvidenceAdmin):
    """Who was sent which mailing, and when: written only by the sending."""

    list_display = ("mailing", "masked_subject", "created_at", "sent_at")
    personal_data_fields = {"user": "masked_subject"}
    list_filter = ("mailing",)
    search_fields = ("user__email",)
    list_select_related = ("mailing", "user")
