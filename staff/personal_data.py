"""Who among staff sees whose personal data, how it looks to the others, and the record of
each look (152-FZ art. 19): the rules every admin page of the staff desk follows.

- Without `staff.view_personal_data` a member of staff sees masks only.
- A subject whose data is blocked by a request (policy 6.2.4) is masked to everyone except the
  assignee of the blocking request, and nobody changes their data until it is resolved.
- Lists never show personal data (masks only), so only pages about one subject are recorded.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.translation import gettext as _

from accounts.models import User
from consents.models import SubjectRequest
from staff.masking import mask_email, mask_name, mask_phone
from staff.models import PersonalDataAccess
from staff.roles import VIEW_PERSONAL_DATA
from staff.services import pd_access_log


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


def subject_data_access(*, staff_user: User, subject_id: int) -> SubjectDataAccess:
    """One query: the requests blocking the subject's data, with their assignees."""
    blocking = list(
        SubjectRequest.objects.blocking_in_force()
        .filter(subject_id=subject_id)
        .order_by("received_at")
        .values_list("number", "assignee_id")
    )
    visible = staff_user.has_perm(VIEW_PERSONAL_DATA) and (
        not blocking or any(assignee_id == staff_user.pk for _number, assignee_id in blocking)
    )
    return SubjectDataAccess(
        visible=visible, blocked_by=tuple(number for number, _assignee in blocking)
    )


@dataclass(frozen=True)
class ShownPersonalData:
    """A subject's data as one member of staff may see it: the values, or their masks."""

    full_name: str
    email: str
    phone: str

    @classmethod
    def of(cls, user: User, *, visible: bool) -> "ShownPersonalData":
        if visible:
            return cls(full_name=user.get_full_name() or "—", email=user.email, phone=user.phone)
        return cls.masked(user)

    @classmethod
    def masked(cls, user: User) -> "ShownPersonalData":
        return cls(
            full_name=mask_name(
                last_name=user.last_name, first_name=user.first_name, patronymic=user.patronymic
            ),
            email=mask_email(user.email),
            phone=mask_phone(user.phone),
        )


class PersonalDataAdminMixin:
    """For ModelAdmins showing a subject's data: the access rule once per request and subject,
    and the record of each look or change."""

    def subject_data_access(self, request: HttpRequest, subject_id: int) -> SubjectDataAccess:
        # A page asks several times (fieldsets, permissions, rendering): one query per subject.
        cache = request.__dict__.setdefault("_staff_subject_data_access", {})
        if subject_id not in cache:
            cache[subject_id] = subject_data_access(staff_user=request.user, subject_id=subject_id)
        return cache[subject_id]

    def log_pd_access(
        self,
        request: HttpRequest,
        *,
        subject_ids: Iterable[int],
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
