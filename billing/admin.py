"""Staff screens: the registry (read-only, loaded by import), links, the attempt audit, and
consumers' messages. Nothing here is edited by hand: the registry belongs to the billing
system, and links and attempts are evidence."""

import ipaddress

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from accounts.signed_in import signed_in_user
from billing import services
from billing.models import (
    AccountLink,
    LinkAttempt,
    LinkDispute,
    PersonalAccount,
    RegistryUpload,
)
from billing.numbers import clean_account_number, mask_account_number
from billing.uploads import registry_upload_start
from lkk.admin import ReadOnlyEvidenceAdmin
from lkk.exchange_upload import REJECTIONS_KEPT, STATUS_REFRESH_SECONDS
from staff.masking import mask_address, mask_full_name
from staff.personal_data import ShownPersonalData, SubjectRecordAdminMixin
from staff.roles import VIEW_PERSONAL_DATA


class RegistryUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Файл выгрузки"),
        help_text=_(
            "CSV (UTF-8 или Windows-1251, разделитель «;» или «,») или XLSX, не больше "
            "%(size)d МБ. Столбцы: Лицевой счёт; Адрес; ФИО; Номер счётчика; Статус. "
            "Файлы больше загружаются командой manage.py import_accounts."
        )
        % {"size": settings.BILLING_IMPORT_UPLOAD_MAX_MB},
    )
    full = forms.BooleanField(
        label=_("Полная выгрузка: закрыть действующие счета, которых нет в файле"),
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.BILLING_IMPORT_UPLOAD_MAX_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("Файл больше %(size)d МБ: загрузите его командой manage.py import_accounts.")
                % {"size": settings.BILLING_IMPORT_UPLOAD_MAX_MB}
            )
        return upload


@admin.register(PersonalAccount)
class PersonalAccountAdmin(SubjectRecordAdminMixin, ReadOnlyEvidenceAdmin):
    """The registry's holder and address are the holder's personal data, whoever they are: the
    list masks them always, the page shows them to those allowed. The holder need not have an
    account, so a look is not recorded against anyone."""

    list_display = (
        "number",
        "masked_address",
        "masked_holder_name",
        "meter_number",
        "status",
        "imported_at",
    )
    search_is_personal_data = False  # the number only
    personal_data_fields = {"address": "masked_address", "holder_name": "masked_holder_name"}
    list_filter = ("status",)
    search_fields = ("number",)
    search_help_text = _("Полный номер лицевого счёта.")
    readonly_fields = ("link_history",)
    change_list_template = "billing/admin/personalaccount_change_list.html"

    def subject_id_of(self, account: PersonalAccount) -> None:
        return None

    @admin.display(description=_("привязки (действующая и история)"))
    def link_history(self, account: PersonalAccount) -> str:
        """A table rather than an inline: an inline names each row by str(link), which carries
        the person's name. People are masked here, as in every list; one query."""
        links = account.links.select_related("user", "unlinked_by").order_by("-linked_at")
        rows = format_html_join(
            "",
            '<tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>',
            (
                (
                    reverse("admin:billing_accountlink_change", args=[link.pk]),
                    ShownPersonalData.masked(link.user).full_name,
                    link.get_factor_display(),
                    date_format(localtime(link.linked_at), "d.m.Y H:i"),
                    date_format(localtime(link.unlinked_at), "d.m.Y H:i")
                    if link.unlinked_at
                    else _("действует"),
                    link.unlink_reason or "—",
                )
                for link in links
            ),
        )
        if not rows:
            return _("Счёт ни к кому не привязывался.")
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>"
            "</thead><tbody>{}</tbody></table>",
            _("пользователь"),
            _("подтверждён по"),
            _("привязан"),
            _("отвязан"),
            _("причина отвязки"),
            rows,
        )

    @admin.display(description=_("адрес объекта"))
    def masked_address(self, account: PersonalAccount) -> str:
        return mask_address(account.address)

    @admin.display(description=_("ФИО владельца"))
    def masked_holder_name(self, account: PersonalAccount) -> str:
        return mask_full_name(account.holder_name)

    def get_search_results(self, request: HttpRequest, queryset, search_term: str):
        """The exact number, through its unique index, rather than LIKE over the registry."""
        number = clean_account_number(search_term)
        if not number:
            return queryset, False
        return queryset.filter(number=number), False

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="billing_personalaccount_import",
            ),
            path(
                "import/<int:upload_id>/",
                self.admin_site.admin_view(self.import_status_view),
                name="billing_personalaccount_import_status",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request: HttpRequest, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_import": request.user.has_perm("billing.import_personalaccount"),
        }
        return super().changelist_view(request, extra_context)

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """The upload form: the file is stored and imported by a background task, whose
        progress and result the upload's own page shows."""
        if not request.user.has_perm("billing.import_personalaccount"):
            raise PermissionDenied
        posted = request.method == "POST"
        form = RegistryUploadForm(request.POST, request.FILES) if posted else RegistryUploadForm()
        if posted and form.is_valid():
            upload = registry_upload_start(
                file=form.cleaned_data["file"],
                full=form.cleaned_data["full"],
                by=signed_in_user(request),
            )
            return redirect("admin:billing_personalaccount_import_status", upload_id=upload.pk)
        recent = RegistryUpload.objects.select_related("uploaded_by").defer("content")[:10]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Загрузка реестра лицевых счетов"),
            "form": form,
            "recent": recent,
        }
        return TemplateResponse(request, "billing/admin/import.html", context)

    def import_status_view(self, request: HttpRequest, upload_id: int) -> HttpResponse:
        if not request.user.has_perm("billing.import_personalaccount"):
            raise PermissionDenied
        upload = get_object_or_404(
            RegistryUpload.objects.select_related("uploaded_by").defer("content"), pk=upload_id
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Загрузка реестра № %(id)s") % {"id": upload.pk},
            "upload": upload,
            "rejections_shown": REJECTIONS_KEPT,
            # A rejected value is a holder's name or address as the file has it.
            "shows_values": request.user.has_perm(VIEW_PERSONAL_DATA),
            "refresh_seconds": STATUS_REFRESH_SECONDS,
        }
        return TemplateResponse(request, "billing/admin/import_status.html", context)


class ActiveLinkFilter(admin.SimpleListFilter):
    title = _("состояние")
    parameter_name = "active"

    def lookups(self, request, model_admin):
        return (("yes", _("действует")), ("no", _("отвязан")))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(unlinked_at__isnull=True)
        if self.value() == "no":
            return queryset.filter(unlinked_at__isnull=False)
        return queryset


class StaffUnlinkForm(forms.Form):
    reason = forms.CharField(
        label=_("Причина отвязки"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Сохраняется в истории привязок, например: «Обращение № 123, счёт продан»."),
    )


def _search_by_number_or_email(request, queryset, search_term: str, *, number_field: str):
    """A number searches `number_field` exactly, anything else the user's email exactly:
    both through unique indexes. An address is personal data: only for those allowed."""
    term = search_term.strip()
    if not term:
        return queryset
    number = clean_account_number(term)
    if number.isdigit():
        return queryset.filter(**{number_field: number})
    if not request.user.has_perm(VIEW_PERSONAL_DATA):
        return queryset.none()
    return queryset.filter(user__email=term.lower())


@admin.register(AccountLink)
class AccountLinkAdmin(SubjectRecordAdminMixin, ReadOnlyEvidenceAdmin):
    list_display = ("account", "masked_subject", "factor", "linked_at", "unlinked_at")
    search_is_personal_data = False  # checked by the search itself
    personal_data_fields = {"user": "masked_subject"}
    list_filter = (ActiveLinkFilter, "factor")
    list_select_related = ("account", "user")
    search_fields = ("account__number",)
    search_help_text = _("Полный номер лицевого счёта или адрес электронной почты пользователя.")
    change_form_template = "billing/admin/accountlink_change_form.html"

    def get_search_results(self, request: HttpRequest, queryset, search_term: str):
        return (
            _search_by_number_or_email(
                request, queryset, search_term, number_field="account__number"
            ),
            False,
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/unlink/",
                self.admin_site.admin_view(self.unlink_view),
                name="billing_accountlink_unlink",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request: HttpRequest, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_unlink": request.user.has_perm("billing.change_accountlink"),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def unlink_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not request.user.has_perm("billing.change_accountlink"):
            raise PermissionDenied
        link = get_object_or_404(
            AccountLink.objects.active().select_related("account", "user"), pk=pk
        )
        form = StaffUnlinkForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            services.account_unlink(link=link, by=request.user, reason=form.cleaned_data["reason"])
            self.message_user(
                request,
                _("Лицевой счёт %(number)s отвязан от %(user)s.")
                % {
                    "number": mask_account_number(link.account.number),
                    "user": ShownPersonalData.masked(link.user).email,
                },
                messages.SUCCESS,
            )
            return redirect(reverse("admin:billing_accountlink_change", args=[link.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Отвязать лицевой счёт"),
            "link": link,
            # The page is about the account: the person is shown masked, to everyone.
            "masked_address": mask_address(link.account.address),
            "masked_user": ShownPersonalData.masked(link.user),
            "form": form,
        }
        return TemplateResponse(request, "billing/admin/accountlink_unlink.html", context)


@admin.register(LinkAttempt)
class LinkAttemptAdmin(SubjectRecordAdminMixin, ReadOnlyEvidenceAdmin):
    list_display = (
        "attempted_at",
        "masked_subject",
        "masked_ip_address",
        "number_masked",
        "account",
        "factor",
        "outcome",
    )
    list_filter = ("outcome", "factor")
    list_select_related = ("user", "account")
    search_fields = ("number_masked",)
    search_help_text = _(
        "Полный номер лицевого счёта (найдутся и попытки с несуществующим номером), "
        "адрес электронной почты или IP-адрес."
    )
    search_is_personal_data = False  # checked by the search itself
    personal_data_fields = {"user": "masked_subject", "ip_address": "masked_ip_address"}

    def get_list_display(self, request: HttpRequest):
        """The audit is there to spot guessing from one network: the IP is its point, so those
        allowed see it in full (next to a masked account, it names no one)."""
        if request.user.has_perm(VIEW_PERSONAL_DATA):
            return tuple(
                "ip_address" if field == "masked_ip_address" else field
                for field in self.list_display
            )
        return self.list_display

    def get_search_results(self, request: HttpRequest, queryset, search_term: str):
        term = search_term.strip()
        if not term:
            return queryset, False
        number = clean_account_number(term)
        if number.isdigit():
            return queryset.filter(number_digest=services.account_number_digest(number)), False
        if not request.user.has_perm(VIEW_PERSONAL_DATA):
            return queryset.none(), False  # an address or an IP is personal data
        try:
            return queryset.filter(ip_address=str(ipaddress.ip_address(term))), False
        except ValueError:
            return queryset.filter(user__email=term.lower()), False


class OpenDisputeFilter(admin.SimpleListFilter):
    title = _("состояние")
    parameter_name = "open"

    def lookups(self, request, model_admin):
        return (("yes", _("ждёт ответа")), ("no", _("рассмотрено")))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.open()
        if self.value() == "no":
            return queryset.filter(resolved_at__isnull=False)
        return queryset


@admin.register(LinkDispute)
class LinkDisputeAdmin(SubjectRecordAdminMixin, ReadOnlyEvidenceAdmin):
    list_display = ("created_at", "account", "masked_subject", "resolved_at", "resolved_by")
    search_is_personal_data = False  # checked by the search itself
    personal_data_fields = {"user": "masked_subject", "comment": "hidden_personal_data"}
    list_filter = (OpenDisputeFilter,)
    list_select_related = ("account", "user", "resolved_by")
    search_fields = ("account__number",)
    search_help_text = _("Полный номер лицевого счёта или адрес электронной почты пользователя.")
    readonly_fields = ("account_link",)
    fields = ("account_link", "user", "comment", "created_at", "resolved_at", "resolved_by")
    actions = ("resolve",)

    def get_search_results(self, request: HttpRequest, queryset, search_term: str):
        return (
            _search_by_number_or_email(
                request, queryset, search_term, number_field="account__number"
            ),
            False,
        )

    @admin.display(description=_("лицевой счёт"))
    def account_link(self, dispute: LinkDispute) -> str:
        return format_html(
            '<a href="{}">{}</a> — привязки и отвязка на странице счёта',
            reverse("admin:billing_personalaccount_change", args=[dispute.account_id]),
            dispute.account.number,
        )

    def has_resolve_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("billing.change_linkdispute")

    @admin.action(description=_("Отметить как рассмотренные"), permissions=["resolve"])
    def resolve(self, request: HttpRequest, queryset) -> None:
        resolved = services.link_disputes_resolve(disputes=queryset, by=request.user)
        self.message_user(request, _("Рассмотрено обращений: %d.") % resolved, messages.SUCCESS)
