"""The admins that libraries register, held to the portal's rules: only declared filters
(`DeclaredLookupsAdminMixin`), and the sign-in log and background tasks only for staff with the
PD right — they hold addresses typed at sign-in, IP addresses and browsers, unmasked."""

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.models import Group
from django.http import HttpRequest
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from staff.personal_data import DeclaredLookupsAdminMixin
from staff.roles import VIEW_PERSONAL_DATA

SIGN_IN_PERSONAL_DATA: dict[str, str | None] = {
    "username": None,
    "ip_address": None,
    "user_agent": None,
    "get_data": None,
    "post_data": None,
    "http_accept": None,
}


class PersonalDataOnlyAdminMixin(DeclaredLookupsAdminMixin):
    """An admin that cannot mask what it shows: closed to staff without the PD right."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(VIEW_PERSONAL_DATA) and super().has_module_permission(request)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.has_perm(VIEW_PERSONAL_DATA) and super().has_view_permission(
            request, obj
        )

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.has_perm(VIEW_PERSONAL_DATA) and super().has_change_permission(
            request, obj
        )

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.has_perm(VIEW_PERSONAL_DATA) and super().has_delete_permission(
            request, obj
        )


class PortalGroupAdmin(DeclaredLookupsAdminMixin, GroupAdmin):
    pass


class PortalAccessAttemptAdmin(PersonalDataOnlyAdminMixin, AccessAttemptAdmin):
    personal_data_fields = SIGN_IN_PERSONAL_DATA


class PortalAccessLogAdmin(PersonalDataOnlyAdminMixin, AccessLogAdmin):
    personal_data_fields = SIGN_IN_PERSONAL_DATA


class PortalAccessFailureLogAdmin(PersonalDataOnlyAdminMixin, AccessFailureLogAdmin):
    personal_data_fields = SIGN_IN_PERSONAL_DATA


class PortalTaskResultAdmin(PersonalDataOnlyAdminMixin, DBTaskResultAdmin):
    """A task's arguments and error can name a person (a failed letter's address)."""


for model, model_admin in (
    (Group, PortalGroupAdmin),
    (AccessAttempt, PortalAccessAttemptAdmin),
    (AccessLog, PortalAccessLogAdmin),
    (AccessFailureLog, PortalAccessFailureLogAdmin),
    (DBTaskResult, PortalTaskResultAdmin),
):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)
