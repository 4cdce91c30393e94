from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ("email",)
    list_display = ("email", "last_name", "first_name", "patronymic", "is_active", "is_staff")
    list_filter = ("is_active", "awaiting_email_confirmation", "is_staff", "is_superuser", "groups")
    search_fields = ("email", "last_name", "first_name", "phone")
    readonly_fields = ("last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Персональные данные"), {"fields": ("last_name", "first_name", "patronymic", "phone")}),
        (
            _("Права"),
            {
                "fields": (
                    "is_active",
                    "awaiting_email_confirmation",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                )
            },
        ),
        (_("Даты"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
