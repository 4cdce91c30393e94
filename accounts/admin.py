"""Accounts in the admin. Personal data shows only to staff allowed to see it (masked to
everyone else), every look at it is recorded, and a person whose data is blocked by a request
is read-only and masked except to that request's assignee (`staff.personal_data`)."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.services import PERSONAL_DATA_FIELDS, user_personal_data_correct
from consents.admin import consent_history_admin_url
from staff.models import PersonalDataAccess
from staff.personal_data import PersonalDataAdminMixin, ShownPersonalData
from staff.roles import VIEW_PERSONAL_DATA

# The masked stand-ins for the personal-data fields on a page whose viewer may not see them.
MASKED_FIELDS = {
    "email": "masked_email",
    "last_name": "masked_name",
    "first_name": None,
    "patronymic": None,
    "phone": "masked_phone",
}


@admin.register(User)
class UserAdmin(PersonalDataAdminMixin, DjangoUserAdmin):
    # The list never shows personal data, whoever looks: it would make every search a look at
    # dozens of people. A person's page shows it to those allowed, and is recorded.
    list_display = ("masked_email", "masked_name", "is_active", "is_staff", "date_joined")
    list_display_links = ("masked_email",)
    ordering = ("-date_joined", "-pk")
    list_filter = ("is_active", "awaiting_email_confirmation", "is_staff", "is_superuser", "groups")
    search_fields = ("email", "last_name", "first_name", "phone")
    readonly_fields = ("last_login", "date_joined", "consent_history")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            gettext_lazy("Персональные данные"),
            {"fields": ("last_name", "first_name", "patronymic", "phone")},
        ),
        (
            gettext_lazy("Права"),
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
        (gettext_lazy("Согласия"), {"fields": ("consent_history",)}),
        (gettext_lazy("Даты"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    # Accounts are closed (the "active" box), never deleted in bulk: consent records and the
    # request journal point at them, and the confirmation page would list people's names.
    actions = None
    personal_data_fields = MASKED_FIELDS
    change_form_template = "admin/staff/personal_data_change_form.html"
    object_history_template = "admin/staff/user_object_history.html"

    def get_search_fields(self, request: HttpRequest) -> tuple[str, ...]:
        """Searching by a name or an address is a look at personal data: only for those allowed."""
        return self.search_fields if request.user.has_perm(VIEW_PERSONAL_DATA) else ()

    def _shows_personal_data(self, request: HttpRequest, user: User | None) -> bool:
        return user is None or self.subject_data_access(request, user.pk).visible

    def get_fieldsets(self, request: HttpRequest, obj: User | None = None):
        fieldsets = super().get_fieldsets(request, obj)
        if self._shows_personal_data(request, obj):
            return fieldsets
        return [
            (
                name,
                {
                    **options,
                    "fields": tuple(
                        MASKED_FIELDS.get(field, field)
                        for field in options["fields"]
                        if MASKED_FIELDS.get(field, field)
                    ),
                },
            )
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None) -> tuple:
        readonly = super().get_readonly_fields(request, obj)
        if self._shows_personal_data(request, obj):
            return readonly
        return (*readonly, *(masked for masked in MASKED_FIELDS.values() if masked))

    def has_change_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        """Only those who see the data change the account, and nobody while it is blocked."""
        if obj is not None:
            access = self.subject_data_access(request, obj.pk)
            if access.blocked or not access.visible:
                return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        return self.has_change_permission(request, obj) and super().has_delete_permission(
            request, obj
        )

    def _page_label(self, request: HttpRequest, user: User) -> str:
        """What the page's title and breadcrumbs call the person."""
        shown = ShownPersonalData.of(user, visible=self._shows_personal_data(request, user))
        return shown.full_name if shown.full_name != "—" else shown.email

    def change_view(self, request: HttpRequest, object_id, form_url="", extra_context=None):
        user = self.get_object(request, object_id)
        if user is not None:
            access = self.subject_data_access(request, user.pk)
            if access.blocked and request.method == "GET":
                messages.warning(request, access.blocked_message())
            extra_context = {
                **(extra_context or {}),
                "subtitle": self._page_label(request, user),
                "pd_label": self._page_label(request, user),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request: HttpRequest, object_id, extra_context=None):
        user = self.get_object(request, object_id)
        if user is not None:
            label = self._page_label(request, user)
            extra_context = {
                **(extra_context or {}),
                "title": _("История изменений: %(label)s") % {"label": label},
                "pd_label": label,
            }
        return super().history_view(request, object_id, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and self._shows_personal_data(request, obj):
            self.log_pd_access(
                request,
                subject_ids=[obj.pk],
                action=PersonalDataAccess.Action.VIEWED,
                object_label=_("учётная запись № %(id)s") % {"id": obj.pk},
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request: HttpRequest, obj: User, form, change: bool) -> None:
        """Personal data changes through the accounts service, like every other change of it
        (it refuses blocked data), and is recorded with the names of the fields changed."""
        changed_fields = [f for f in PERSONAL_DATA_FIELDS if f in form.changed_data]
        if change and changed_fields:
            user_personal_data_correct(
                user=obj, changes={field: form.cleaned_data[field] for field in changed_fields}
            )
        super().save_model(request, obj, form, change)
        if changed_fields:
            self.log_pd_access(
                request,
                subject_ids=[obj.pk],
                action=PersonalDataAccess.Action.CHANGED,
                object_label=_("учётная запись № %(id)s") % {"id": obj.pk},
                changed_fields=changed_fields,
            )

    @admin.display(description=gettext_lazy("адрес электронной почты"), ordering="email")
    def masked_email(self, user: User) -> str:
        return ShownPersonalData.masked(user).email

    @admin.display(description=gettext_lazy("фамилия, имя, отчество"))
    def masked_name(self, user: User) -> str:
        return ShownPersonalData.masked(user).full_name

    @admin.display(description=gettext_lazy("мобильный телефон"))
    def masked_phone(self, user: User) -> str:
        return ShownPersonalData.masked(user).phone

    @admin.display(description=gettext_lazy("история согласий"))
    def consent_history(self, user: User) -> str:
        return format_html(
            '<a href="{}">{}</a>', consent_history_admin_url(user), _("Все записи о согласиях")
        )


from accounts import second_factor_admin  # noqa: E402, F401  (the second factor's admin)
