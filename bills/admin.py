"""Staff screens: an account's charges (with every version), payments and receipts, the
consumers' receipt choices and letters, and each import's summary. All of it comes from billing
or is evidence, so nothing is edited here. Lists name accounts by number only; a receipt (with the
holder's name and address) opens only for staff who may see personal data, and each one opened
is recorded in the journal of staff access against the account's current owner."""

from typing import TYPE_CHECKING, ClassVar

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from billing.models import AccountLink
from billing.numbers import clean_account_number
from bills.models import (
    BillsImport,
    Charge,
    ChargeLine,
    ElectronicReceiptChoice,
    Payment,
    ReceiptLetter,
)
from bills.receipt import receipt_file_name, receipt_pdf_cached
from lkk.admin import ReadOnlyEvidenceAdmin
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
    show_full_result_count = False
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


@admin.register(Payment)
class PaymentAdmin(ByAccountNumberSearch, ReadOnlyEvidenceAdmin):
    list_display = ("external_id", "account", "paid_on", "amount", "channel", "period")
    list_filter = ("channel",)
    list_select_related = ("account",)
    show_full_result_count = False


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


@admin.register(BillsImport)
class BillsImportAdmin(ReadOnlyEvidenceAdmin):
    """Each run of `import_charges` / `import_payments`: running, done or failed, and what it
    did: the month's summary staff look at."""

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
        "message",
    )
    fields = readonly_fields
