"""Staff screens: an account's charges (with every version), payments and receipts, the
consumers' receipt choices and letters, and each import — a file uploaded here is imported by a
background task, its page showing the progress and then the summary. All of it comes from billing
or is evidence, so nothing is edited here. Lists name accounts by number only; a receipt (with the
holder's name and address) opens only for staff who may see personal data, and each one opened
is recorded in the journal of staff access against the account's current owner."""

from typing import TYPE_CHECKING, ClassVar

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.signed_in import signed_in_user
from billing.models import AccountLink
from billing.numbers import clean_account_number
from bills.models import (
    BillsImport,
    Charge,
    ChargeLine,
    ElectronicReceiptChoice,
    Payment,
    PaymentVersion,
    ReceiptLetter,
)
from bills.receipt import receipt_file_name, receipt_pdf_cached
from bills.uploads import bills_upload_start
from lkk.admin import ReadOnlyEvidenceAdmin
from lkk.exchange_upload import REJECTIONS_KEPT, STATUS_REFRESH_SECONDS
from lkk.personal_data import retention_delta
from staff.models import PersonalDataAccess
from staff.personal_data import SubjectRecordAdminMixin
from staff.roles import VIEW_PERSONAL_DATA
from staff.services import pd_access_log

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class ByAccountNumberSearch:
    """The exact account number through the unique index, not LIKE over millions of rows."""

    search_fields: ClassVar[list[str] | tuple[str, ...]] = ("account__number",)
    search_help_text: ClassVar["StrOrPromise | None"] = _("Полный номер лицевого счёта.")

    def get_search_results(self, request: HttpRequest, queryset, search_term: str):
        number = clean_account_number(search_term)
        if not number:
            return queryset, False
        return queryset.filter(account__number=number), False


class ChargeLineInline(admin.TabularInline):
    model = ChargeLine
    extra = 0
    can_delete = False
    fields = (
        "position",
        "kind",
        "service",
        "zone",
        "reading_start",
        "reading_end",
        "volume",
        "source",
        "tariff",
        "amount",
        "recalculated_period",
        "reason",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class CurrentVersionFilter(admin.SimpleListFilter):
    title = _("версия")
    parameter_name = "current"

    def lookups(self, request, model_admin):
        return (("yes", _("действующая")), ("no", _("заменённая исправлением")))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(replaced_at__isnull=True)
        if self.value() == "no":
            return queryset.filter(replaced_at__isnull=False)
        return queryset


@admin.register(Charge)
class ChargeAdmin(ByAccountNumberSearch, ReadOnlyEvidenceAdmin):
    list_display = (
        "account",
        "period_shown",
        "version",
        "charged",
        "closing_balance",
        "amount_due",
        "due_date",
        "replaced_at",
        "receipt_link",
    )
    list_filter = (CurrentVersionFilter, "period")
    list_select_related = ("account",)
    date_hierarchy = None
    inlines = (ChargeLineInline,)
    fields = (
        "account",
        "period",
        "version",
        "opening_balance",
        "charged",
        "paid",
        "closing_balance",
        "amount_due",
        "due_date",
        "imported_at",
        "replaced_at",
        "receipt_link",
    )
    readonly_fields = fields

    @admin.display(description=_("месяц"), ordering="period")
    def period_shown(self, charge: Charge) -> str:
        return f"{charge.period:%m.%Y}"

    @admin.display(description=_("квитанция"))
    def receipt_link(self, charge: Charge) -> str:
        return format_html(
            '<a href="{}">PDF</a>', reverse("admin:bills_charge_receipt", args=[charge.pk])
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/receipt/",
                self.admin_site.admin_view(self.receipt_view),
                name="bills_charge_receipt",
            ),
            *super().get_urls(),
        ]

    def receipt_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The receipt names the holder and the address: for those who may see PD, recorded."""
        if not (self.has_view_permission(request) and request.user.has_perm(VIEW_PERSONAL_DATA)):
            raise PermissionDenied
        charge = get_object_or_404(Charge.objects.select_related("account"), pk=pk)
        owners = AccountLink.objects.active().filter(account_id=charge.account_id)
        pd_access_log(
            staff_user=request.user,
            subject_ids=owners.values_list("user_id", flat=True),
            action=PersonalDataAccess.Action.VIEWED,
            page=request.path,
            object_label=f"квитанция № {charge.pk}",
        )
        response = HttpResponse(receipt_pdf_cached(charge), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{receipt_file_name(charge)}"'
        return response


class PaymentVersionInline(admin.TabularInline):
    """The values a payment had before billing re-sent it corrected."""

    model = PaymentVersion
    extra = 0
    can_delete = False
    fields = ("account", "paid_on", "amount", "channel", "period", "imported_at", "replaced_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Payment)
class PaymentAdmin(ByAccountNumberSearch, ReadOnlyEvidenceAdmin):
    list_display = ("external_id", "account", "paid_on", "amount", "channel", "period")
    list_filter = ("channel",)
    list_select_related = ("account",)
    inlines = (PaymentVersionInline,)


@admin.register(ElectronicReceiptChoice)
class ElectronicReceiptChoiceAdmin(
    SubjectRecordAdminMixin, ByAccountNumberSearch, ReadOnlyEvidenceAdmin
):
    list_display = ("__str__", "account", "masked_subject", "electronic", "chosen_at", "export")
    list_filter = ("electronic",)
    list_select_related = ("account", "user")
    search_is_personal_data = False  # the number only
    personal_data_fields = {"user": "masked_subject"}
    fields = ("account", "user", "electronic", "chosen_at", "export")


@admin.register(ReceiptLetter)
class ReceiptLetterAdmin(SubjectRecordAdminMixin, ReadOnlyEvidenceAdmin):
    list_display = ("__str__", "masked_subject", "period", "created_at", "sent_at")
    list_filter = ("period",)
    list_select_related = ("user",)
    personal_data_fields = {"user": "masked_subject"}
    fields = ("user", "period", "created_at", "sent_at")


class BillsUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Что в файле"), choices=BillsImport.Kind.choices, widget=forms.RadioSelect
    )
    file = forms.FileField(
        label=_("Файл выгрузки"),
        help_text=_(
            "CSV (UTF-8 или Windows-1251, разделитель «;» или «,») или XLSX, не больше "
            "%(size)d МБ; столбцы — как в README. Файлы больше загружаются командами "
            "manage.py import_charges и import_payments."
        )
        % {"size": settings.BILLING_IMPORT_UPLOAD_MAX_MB},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.BILLING_IMPORT_UPLOAD_MAX_MB * 1024 * 1024:
            raise forms.ValidationError(
                _(
                    "Файл больше %(size)d МБ: загрузите его командой manage.py import_charges "
                    "или import_payments."
                )
                % {"size": settings.BILLING_IMPORT_UPLOAD_MAX_MB}
            )
        return upload


IMPORT_PERMISSION = "bills.import_bills"


@admin.register(BillsImport)
class BillsImportAdmin(ReadOnlyEvidenceAdmin):
    """Each run of `import_charges` / `import_payments` or of a file uploaded here: queued,
    running, done or failed, and what it did: the month's summary staff look at. An upload is
    imported by a background task (`bills.uploads`); its page shows the progress and then the
    summary."""

    change_list_template = "bills/admin/billsimport_change_list.html"
    list_display = (
        "__str__",
        "file_name",
        "status",
        "phase",
        "started_at",
        "finished_at",
        "rows_read",
        "accounts",
        "total",
        "created",
        "replaced",
        "unchanged",
        "rejected",
        "progress_link",
    )
    list_filter = ("kind", "status")
    readonly_fields = (
        "kind",
        "file_name",
        "status",
        "phase",
        "started_at",
        "finished_at",
        "rows_read",
        "accounts",
        "total",
        "created",
        "replaced",
        "unchanged",
        "rejected",
        "rejections_erased_at",
        "message",
        "uploaded_by",
    )
    fields = readonly_fields
    list_select_related = ("uploaded_by",)

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).defer("content")

    @admin.display(description=_("ход и итог"))
    def progress_link(self, record: BillsImport) -> str:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:bills_billsimport_progress", args=[record.pk]),
            _("открыть"),
        )

    def get_urls(self):
        return [
            path(
                "upload/",
                self.admin_site.admin_view(self.upload_view),
                name="bills_billsimport_upload",
            ),
            path(
                "<int:pk>/progress/",
                self.admin_site.admin_view(self.progress_view),
                name="bills_billsimport_progress",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request: HttpRequest, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_import": request.user.has_perm(IMPORT_PERMISSION),
        }
        return super().changelist_view(request, extra_context)

    def upload_view(self, request: HttpRequest) -> HttpResponse:
        """The upload form: the file is stored and imported by a background task, whose
        progress and summary the upload's own page shows."""
        if not request.user.has_perm(IMPORT_PERMISSION):
            raise PermissionDenied
        posted = request.method == "POST"
        form = BillsUploadForm(request.POST, request.FILES) if posted else BillsUploadForm()
        if posted and form.is_valid():
            record = bills_upload_start(
                kind=form.cleaned_data["kind"],
                file=form.cleaned_data["file"],
                by=signed_in_user(request),
            )
            return redirect("admin:bills_billsimport_progress", pk=record.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Загрузка начислений или платежей"),
            "form": form,
        }
        return TemplateResponse(request, "bills/admin/upload.html", context)

    def progress_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not request.user.has_perm(IMPORT_PERMISSION):
            raise PermissionDenied
        record = get_object_or_404(
            BillsImport.objects.select_related("uploaded_by").defer("content"), pk=pk
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": str(record),
            "record": record,
            "rejections_shown": REJECTIONS_KEPT,
            # `apply_retention` erases them then (bills.personal_data); the counts stay.
            "rejections_kept_until": record.started_at
            + retention_delta("BILLS_IMPORT_REJECTION_RETENTION_DAYS"),
            # A rejected value may be an account number as the file has it.
            "shows_values": request.user.has_perm(VIEW_PERSONAL_DATA),
            "refresh_seconds": STATUS_REFRESH_SECONDS,
        }
        return TemplateResponse(request, "bills/admin/upload_status.html", context)
