"""Who among staff sees whose personal data, how it looks to the others, and the record of
each look (152-FZ art. 19): the rules every admin page of the staff desk follows.

- Without `staff.view_personal_data` a member of staff sees masks only.
- A subject whose data is blocked by a request (policy 6.2.4) is masked to everyone except the
  assignee of the blocking request, and nobody changes their data until it is resolved.
- Lists never show personal data (masks only), so only pages about one subject are recorded.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lkk import personal_data
from lkk.admin import DeclaredLookupsAdminMixin
from staff.masking import mask_email, mask_ip_address, mask_name, mask_phone
from staff.models import PersonalDataAccess
from staff.roles import VIEW_PERSONAL_DATA
from staff.services import pd_access_log


class StaffMember(Protocol):
    """The member of staff looking, as these rules read the user model."""

    @property
    def pk(self) -> int | None: ...

    def has_perm(self, perm: str, obj: None = None) -> bool: ...


class Person(Protocol):
    """A subject, as these rules read the user model: the fields they show or mask."""

    last_name: str
    first_name: str
    patronymic: str
    email: str
    phone: str

    def get_full_name(self) -> str: ...


@dataclass(frozen=True)
class SubjectDataAccess:
    """What one member of staff may do with one subject's data now."""

    visible: bool
    blocked_by: tuple[str, ...]  # numbers of the requests blocking the data now

    @property
    def blocked(self) -> bool:
        return bool(self.blocked_by)

    def blocked_message(self) -> str:
        return _(
            "Персональные данные заблокированы по обращению № %(numbers)s: изменить их нельзя, "
            "пока обращение не рассмотрено; полностью они видны только исполнителю обращения."
        ) % {"numbers": ", ".join(self.blocked_by)}


def subject_data_access(*, staff_user: StaffMember, subject_id: int | None) -> SubjectDataAccess:
    """One query: the requests blocking the subject's data, with their assignees. A person
    without a portal account (`None`) has no account data to block."""
    blocking = (
        personal_data.subject_states().blockings(subject_id) if subject_id is not None else []
    )
    visible = staff_user.has_perm(VIEW_PERSONAL_DATA) and (
        not blocking or any(request.assignee_id == staff_user.pk for request in blocking)
    )
    return SubjectDataAccess(
        visible=visible, blocked_by=tuple(request.number for request in blocking)
    )


@dataclass(frozen=True)
class ShownPersonalData:
    """A subject's data as one member of staff may see it: the values, or their masks."""

    full_name: str
    email: str
    phone: str

    @classmethod
    def of(cls, user: Person, *, visible: bool) -> "ShownPersonalData":
        if visible:
            return cls(full_name=user.get_full_name() or "—", email=user.email, phone=user.phone)
        return cls.masked(user)

    @classmethod
    def masked(cls, user: Person) -> "ShownPersonalData":
        return cls(
            full_name=mask_name(
                last_name=user.last_name, first_name=user.first_name, patronymic=user.patronymic
            ),
            email=mask_email(user.email),
            phone=mask_phone(user.phone),
        )


class PersonalDataAdminMixin(DeclaredLookupsAdminMixin):
    """For ModelAdmins showing a subject's data: the access rule once per request and subject,
    and the record of each look or change."""

    def subject_data_access(
        self, request: HttpRequest, subject_id: int | None
    ) -> SubjectDataAccess:
        # A page asks several times (fieldsets, permissions, rendering): one query per subject.
        cache = request.__dict__.setdefault("_staff_subject_data_access", {})
        if subject_id not in cache:
            cache[subject_id] = subject_data_access(staff_user=request.user, subject_id=subject_id)
        return cache[subject_id]

    def log_pd_access(
        self,
        request: HttpRequest,
        *,
        subject_ids: Iterable[int | None],
        action: PersonalDataAccess.Action,
        object_label: str,
        changed_fields: Sequence[str] = (),
    ) -> None:
        pd_access_log(
            staff_user=request.user,
            subject_ids=subject_ids,
            action=action,
            # The path only: a query string can carry a search term (someone's surname), and
            # the journal must outlive the data it records access to.
            page=request.path,
            object_label=object_label,
            changed_fields=changed_fields,
        )


class SubjectRecordAdminMixin(PersonalDataAdminMixin):
    """For ModelAdmins of records about one consumer (consent records, links, notices…): the
    same rule as the user admin, declared rather than rewritten.

    - `subject_field`: the foreign key to the subject; a record without one (a guest's
      message) is shown by the permission alone and not recorded (there is no account).
    - `personal_data_fields`: the page's fields holding PD, each with its masked stand-in
      (a display method of the admin), or `""` to leave it out; the stand-ins replace them on
      the page of whoever may not see them.
    - `search_is_personal_data`: searching by PD is a look at it: only for those allowed
      (an admin whose search also takes numbers checks the permission itself).
    """

    subject_field = "user"
    search_is_personal_data = True
    # Names the record by `pd_label` in the breadcrumbs, never by str(obj), which often
    # carries the person's name.
    change_form_template = "admin/staff/personal_data_change_form.html"

    def subject_id_of(self, obj) -> int | None:
        return getattr(obj, f"{self.subject_field}_id")

    def shows_personal_data(self, request: HttpRequest, obj) -> bool:
        subject_id = None if obj is None else self.subject_id_of(obj)
        if subject_id is None:
            return request.user.has_perm(VIEW_PERSONAL_DATA)
        return self.subject_data_access(request, subject_id).visible

    def _masked(self, fields) -> tuple:
        stand_ins = (self.personal_data_fields.get(field, field) for field in fields)
        return tuple(dict.fromkeys(field for field in stand_ins if field))

    def get_fieldsets(self, request: HttpRequest, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self.shows_personal_data(request, obj):
            if obj is None:
                return fieldsets
            # The subject's key would show as str(user), which names nobody: show the person.
            return [
                (
                    name,
                    {
                        **options,
                        "fields": tuple(
                            "shown_subject" if field == self.subject_field else field
                            for field in options["fields"]
                        ),
                    },
                )
                for name, options in fieldsets
            ]
        return [
            (name, {**options, "fields": self._masked(options["fields"])})
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> tuple:
        readonly = tuple(super().get_readonly_fields(request, obj))
        if self.shows_personal_data(request, obj):
            return (*readonly, "shown_subject")
        stand_ins = (stand_in for stand_in in self.personal_data_fields.values() if stand_in)
        return tuple(dict.fromkeys((*readonly, *stand_ins)))

    def get_search_results(self, request: HttpRequest, queryset, search_term: str):
        if self.search_is_personal_data and not request.user.has_perm(VIEW_PERSONAL_DATA):
            return queryset, False
        return super().get_search_results(request, queryset, search_term)

    def get_search_fields(self, request: HttpRequest):
        if self.search_is_personal_data and not request.user.has_perm(VIEW_PERSONAL_DATA):
            return ()
        return super().get_search_fields(request)

    def personal_data_label(self, obj) -> str:
        """What the access log calls the page: the record, never the person."""
        return f"{obj._meta.verbose_name} № {obj.pk}"

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["subtitle"] = context["pd_label"] = self.personal_data_label(obj)
        subject_id = None if obj is None else self.subject_id_of(obj)
        if subject_id is not None and self.shows_personal_data(request, obj):
            self.log_pd_access(
                request,
                subject_ids=[subject_id],
                action=PersonalDataAccess.Action.VIEWED,
                object_label=self.personal_data_label(obj),
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    # The stand-ins most records need.
    @admin.display(description=gettext_lazy("субъект"))
    def masked_subject(self, obj) -> str:
        subject = getattr(obj, self.subject_field)
        if subject is None:
            return "—"
        shown = ShownPersonalData.masked(subject)
        return f"{shown.full_name} · {shown.email}"

    @admin.display(description=gettext_lazy("субъект"))
    def shown_subject(self, obj) -> str:
        """The subject in full, for the pages of those who may see them."""
        subject = getattr(obj, self.subject_field)
        if subject is None:
            return "—"
        shown = ShownPersonalData.of(subject, visible=True)
        return f"{shown.full_name} · {shown.email}"

    @admin.display(description=gettext_lazy("IP-адрес"))
    def masked_ip_address(self, obj) -> str:
        return mask_ip_address(obj.ip_address)

    @admin.display(description=gettext_lazy("персональные данные"))
    def hidden_personal_data(self, obj) -> str:
        return _("скрыты: нет права на просмотр персональных данных")
