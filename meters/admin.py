"""Staff screens: meters, monthly volumes and outcomes as billing sent them (read-only), tariffs
(editable, also imported), the readings consumers passed (append-only evidence, PD masked), a
reading entered on a consumer's behalf from a phone call, and the export batches with their
files."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.signed_in import signed_in_user
from billing.models import AccountLink
from lkk.admin import ReadOnlyEvidenceAdmin
from lkk.russian import plural
from meters import services
from meters.forms import ReadingForm
from meters.models import ExportBatch, Meter, MonthlyVolume, Reading, ReadingOutcome, Tariff
from meters.window import reading_window
from staff.personal_data import (
    DeclaredLookupsAdminMixin,
    ShownPersonalData,
    SubjectRecordAdminMixin,
    subject_data_access,
)

ENTER_READING = "meters.add_reading"
EXPORT_READINGS = "meters.export_reading"


class BillingCopyAdmin(ReadOnlyEvidenceAdmin):
    """Data billing owns: viewed here, changed only by its files."""


@admin.register(Meter)
class MeterAdmin(BillingCopyAdmin):
    list_display = (
        "serial_number",
        "account",
        "zones",
        "status",
        "remote_read",
        "verification_due",
        "last_value_date",
    )
    list_filter = ("status", "zones", "remote_read", "tariff_category")
    search_fields = ("=serial_number", "=account__number")
    list_select_related = ("account",)
    readonly_fields = ("enter_reading_link",)

    def get_urls(self):
        return [
            path(
                "<int:pk>/pokazanie/",
                self.admin_site.admin_view(self.enter_reading_view),
                name="meters_meter_enter_reading",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=gettext_lazy("показание по телефону"))
    def enter_reading_link(self, meter: Meter) -> str:
        return format_html(
            '<a class="button" href="{}">{}</a>',
            reverse("admin:meters_meter_enter_reading", args=[meter.pk]),
            _("Внести показание со слов потребителя"),
        )

    def enter_reading_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """A reading a consumer dictates on the phone: the same checks and the same receipt,
        recorded as entered by this member of staff for the account's current holder."""
        if not request.user.has_perm(ENTER_READING):
            raise PermissionDenied
        meter = get_object_or_404(Meter.objects.select_related("account"), pk=pk)
        link = AccountLink.objects.active().select_related("user").filter(account=meter.account)
        holder = link.first()
        window = reading_window()
        refusal = services.meter_refusal(meter, window=window)
        if holder is None:
            refusal = _(
                "Лицевой счёт не привязан к личному кабинету: показание по телефону вносится "
                "только за владельца кабинета, остальные — в биллинге."
            )
        elif subject_data_access(
            staff_user=signed_in_user(request), subject_id=holder.user_id
        ).blocked:
            refusal = _("Данные потребителя заблокированы по обращению: внести показание нельзя.")
        form = None
        if not refusal and holder is not None:  # no holder is a refusal
            averages = services.monthly_averages(meter, before=window.period)
            form = ReadingForm(
                request.POST if request.method == "POST" else None, meter=meter, averages=averages
            )
            if request.method == "POST" and form.is_valid():
                try:
                    reading = services.reading_submit(
                        meter=meter,
                        user=holder.user,
                        values=form.values,
                        source=Reading.Source.STAFF_PHONE,
                        entered_by=request.user,
                        jump_confirmed=bool(form.jumps) and form.cleaned_data["confirm_jump"],
                        rollover=form.rollover,
                    )
                except services.ReadingRefused as error:
                    form.add_error(None, str(error))
                else:
                    messages.success(
                        request,
                        _("Показание № %(number)s внесено за период %(period)s.")
                        % {"number": reading.number, "period": reading.period.strftime("%m.%Y")},
                    )
                    return redirect("admin:meters_meter_change", meter.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Показание со слов потребителя: счётчик %(meter)s") % {"meter": meter},
            "meter": meter,
            "form": form,
            "refusal": refusal,
            "window": window,
            "holder": ShownPersonalData.masked(holder.user) if holder else None,
        }
        return TemplateResponse(request, "admin/meters/enter_reading.html", context)


@admin.register(Tariff)
class TariffAdmin(DeclaredLookupsAdminMixin, admin.ModelAdmin):
    list_display = ("category", "zones", "zone", "price", "valid_from", "valid_to")
    list_filter = ("category", "zones", "valid_from")
    fields = ("category", "zones", "zone", "price", "valid_from", "valid_to")


@admin.register(Reading)
class ReadingAdmin(SubjectRecordAdminMixin, ReadOnlyEvidenceAdmin):
    list_display = (
        "number",
        "submitted_at",
        "meter",
        "period",
        "source",
        "masked_subject",
        "export_batch",
    )
    list_filter = ("source", "period", "submitted_at")
    search_fields = ("=number", "=meter__serial_number", "=meter__account__number")
    search_is_personal_data = False  # numbers only
    list_select_related = ("meter", "user")
    personal_data_fields = {"user": "masked_subject", "ip_address": "masked_ip_address"}
    fields = (
        "number",
        "meter",
        "period",
        "value_t1",
        "value_t2",
        "value_t3",
        "jump_confirmed",
        "rollover",
        "source",
        "user",
        "entered_by",
        "ip_address",
        "submitted_at",
        "export_batch",
    )


@admin.register(ReadingOutcome)
class ReadingOutcomeAdmin(BillingCopyAdmin):
    list_display = ("reading", "accepted", "billed_month", "reason", "imported_at")
    list_filter = ("accepted", "billed_month")
    search_fields = ("=reading__number",)
    list_select_related = ("reading",)


@admin.register(MonthlyVolume)
class MonthlyVolumeAdmin(BillingCopyAdmin):
    list_display = ("meter", "month", "source", "volume_t1", "volume_t2", "volume_t3")
    list_filter = ("source", "month")
    search_fields = ("=meter__serial_number", "=meter__account__number")
    list_select_related = ("meter",)


@admin.register(ExportBatch)
class ExportBatchAdmin(BillingCopyAdmin):
    list_display = ("__str__", "created_at", "readings", "created_by", "download_link")
    fields = ("created_at", "readings", "created_by", "download_link")
    readonly_fields = fields
    actions = None
    change_list_template = "admin/meters/exportbatch_change_list.html"

    def get_urls(self):
        return [
            path(
                "<int:pk>/fail/",
                self.admin_site.admin_view(self.download_view),
                name="meters_exportbatch_download",
            ),
            path(
                "vygruzit/",
                self.admin_site.admin_view(self.export_view),
                name="meters_exportbatch_export",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=gettext_lazy("файл"))
    def download_link(self, batch: ExportBatch) -> str:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:meters_exportbatch_download", args=[batch.pk]),
            batch.file_name,
        )

    def download_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The same file `export_readings --batch N` writes: downloading it changes nothing."""
        if not request.user.has_perm(EXPORT_READINGS):
            raise PermissionDenied
        batch = get_object_or_404(ExportBatch, pk=pk)
        response = HttpResponse(services.export_file(batch), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="{batch.file_name}"'
        return response

    def export_view(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perm(EXPORT_READINGS) or request.method != "POST":
            raise PermissionDenied
        batch = services.readings_export(created_by=request.user)
        if batch is None:
            messages.info(request, _("Новых показаний для выгрузки нет."))
        else:
            messages.success(
                request,
                _("Выгрузка № %(number)d: %(count)d %(readings)s. Скачайте файл в списке.")
                % {
                    "number": batch.pk,
                    "count": batch.readings,
                    "readings": plural(batch.readings, "показание", "показания", "показаний"),
                },
            )
        return redirect("admin:meters_exportbatch_changelist")
