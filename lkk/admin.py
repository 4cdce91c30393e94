from django.conf import settings
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.urls import resolve, reverse
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache

from lkk.models import RetentionRecord
from lkk.request_info import safe_next_url


class PortalAdminSite(admin.AdminSite):
    """The one admin site, branded for the operator's staff. Only a session that has passed the
    second factor (django-otp) opens it, and staff sign in through the portal's one sign-in."""

    site_header = "ЛКК АО «ИЭК» — администрирование"
    site_title = "ЛКК АО «ИЭК»"
    index_title = "Управление порталом"

    def has_permission(self, request: HttpRequest) -> bool:
        # django-otp's middleware adds is_verified(); without it nothing is verified.
        verified = getattr(request.user, "is_verified", lambda: False)()
        return super().has_permission(request) and bool(verified)

    @method_decorator(never_cache)
    @method_decorator(login_not_required)
    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        """No sign-in form of the admin's own: the portal's two-step sign-in (`LOGIN_URL`) answers
        here too, so its lockout and second step hold for /admin/login/ as well."""
        next_url = safe_next_url(request, default=reverse("admin:index", current_app=self.name))
        user = request.user
        if user.is_authenticated:
            if self.has_permission(request):
                return redirect(next_url)
            if user.is_active and user.is_staff:
                query = urlencode({REDIRECT_FIELD_NAME: next_url})
                return redirect(f"{reverse('accounts:second_factor_code')}?{query}")
            raise PermissionDenied
        login_view = resolve(resolve_url(settings.LOGIN_URL)).func
        return login_view(request)


@admin.register(RetentionRecord)
class RetentionRecordAdmin(admin.ModelAdmin):
    """What `apply_retention` destroyed, day by day: read only, written by the command alone."""

    list_display = ("ran_at", "category_title", "action", "count", "retention")
    list_filter = ("category_title",)
    date_hierarchy = "ran_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
