"""«Вторые факторы входа» in the admin: who has an authenticator app, and the site
administrator's reset of a lost one (permission «Может сбрасывать второй фактор входа»).

django-otp's own admin pages are taken off the site: they show the secret key, the QR code and the
recovery codes, and name the owner by `str(user)`. This list names nobody — an account number,
the masked address — and has no page per device.
"""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import second_factor
from accounts.models import Authenticator
from accounts.signed_in import signed_in_user
from lkk.admin import ReadOnlyEvidenceAdmin
from staff.personal_data import ShownPersonalData
from staff.roles import VIEW_PERSONAL_DATA

for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)

RESET = "accounts.reset_second_factor"


@admin.register(Authenticator)
class AuthenticatorAdmin(ReadOnlyEvidenceAdmin):
    list_display = (
        "account",
        "masked_email",
        "is_staff",
        "confirmed",
        "created_at",
        "last_used_at",
    )
    list_display_links = None
    list_filter = ("confirmed", "user__is_staff")
    list_select_related = ("user",)
    ordering = ("-created_at", "-pk")
    actions = ["reset_second_factor"]

    def get_urls(self):
        # The list only: a device has no page (its key must never be shown).
        name = f"{self.opts.app_label}_{self.opts.model_name}_changelist"
        return [path("", self.admin_site.admin_view(self.changelist_view), name=name)]

    search_fields = ("=user__id",)
    search_help_text = _("Номер учётной записи или (при праве на просмотр ПДн) точный адрес.")

    def get_search_results(self, request: HttpRequest, queryset, search_term: str):
        """By account number; by the exact address only for those who may see addresses."""
        term = search_term.strip().lower()
        if not term:
            return queryset, False
        if term.isdigit():
            return queryset.filter(user_id=int(term)), False
        if "@" in term and request.user.has_perm(VIEW_PERSONAL_DATA):
            return queryset.filter(user__email=term), False
        return queryset.none(), False

    def has_reset_second_factor_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(RESET)

    @admin.display(description=_("учётная запись"), ordering="user_id")
    def account(self, device: Authenticator) -> str:
        return f"№ {device.user_id}"

    @admin.display(description=_("адрес электронной почты"))
    def masked_email(self, device: Authenticator) -> str:
        return ShownPersonalData.masked(device.user).email

    @admin.display(description=_("сотрудник"), boolean=True)
    def is_staff(self, device: Authenticator) -> bool:
        return device.user.is_staff

    @admin.action(description=_("Сбросить второй фактор"), permissions=["reset_second_factor"])
    def reset_second_factor(self, request: HttpRequest, queryset):
        """Asks first. Each person's app and recovery codes go and their sessions end."""
        devices = list(queryset.select_related("user"))
        if request.POST.get("confirmed") == "yes":
            for device in devices:
                second_factor.second_factor_reset(user=device.user, actor=signed_in_user(request))
            self.message_user(
                request,
                _(
                    "Второй фактор сброшен, сеансы завершены (учётных записей: %(count)d). "
                    "При следующем входе человек подключит приложение заново."
                )
                % {"count": len({d.user_id for d in devices})},
                messages.SUCCESS,
            )
            return None
        return TemplateResponse(
            request,
            "accounts/admin/second_factor_reset_confirm.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Сбросить второй фактор?"),
                "opts": self.model._meta,
                "devices": devices,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )
