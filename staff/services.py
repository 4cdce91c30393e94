"""Workflows of the staff desk. Each function is one transaction."""

import datetime
from collections.abc import Iterable, Sequence
from functools import partial

from django.db import transaction

from accounts.models import User
from consents.models import SubjectRequest
from staff import tasks
from staff.dashboard import soon_limit
from staff.models import DueRequestsReminder, PersonalDataAccess
from staff.roles import PD_OFFICER

PAGE_MAX_LENGTH = PersonalDataAccess._meta.get_field("page").max_length


@transaction.atomic
def pd_access_log(
    *,
    staff_user,
    subject_ids: Iterable[int | None],
    action: PersonalDataAccess.Action,
    page: str,
    object_label: str,
    changed_fields: Sequence[str] = (),
) -> int:
    """Record that `staff_user` saw, changed or exported the data of these subjects.

    One row per subject, written in bulk (an export names many). Returns how many were written.
    Called inside the view's own transaction where there is one: a change and its record are
    kept or rolled back together.
    """
    entries = [
        PersonalDataAccess(
            staff_user=staff_user,
            subject_id=subject_id,
            action=action,
            page=page[:PAGE_MAX_LENGTH],
            object_label=object_label,
            changed_fields=list(changed_fields),
        )
        # Each subject once, in order; a person without a portal account has no number to
        # record (their request's own history says who looked at it and acted).
        for subject_id in dict.fromkeys(subject_ids)
        if subject_id is not None
    ]
    PersonalDataAccess.objects.bulk_create(entries, batch_size=1000)
    return len(entries)


@transaction.atomic
def due_requests_remind(*, today: datetime.date) -> int:
    """Queue one letter per member of staff about the open requests overdue or due within two
    working days: to each assignee their own, to every PD officer all of them.

    Once a day per person: a second run the same day (a retried cron job) sends nothing more.
    Returns how many letters were queued.
    """
    requests = SubjectRequest.objects.open().filter(due_on__lte=soon_limit(today))
    officers = set(
        User.objects.filter(is_active=True, is_staff=True, groups__name=PD_OFFICER).values_list(
            "pk", flat=True
        )
    )
    by_recipient: dict[int, list[int]] = {}
    for request_id, assignee_id in requests.order_by("due_on", "pk").values_list(
        "pk", "assignee_id"
    ):
        for recipient_id in officers | ({assignee_id} - {None}):
            by_recipient.setdefault(recipient_id, []).append(request_id)

    queued = 0
    for recipient_id, request_ids in by_recipient.items():
        # Staff are few: one row each, and the unique constraint settles concurrent runs.
        _reminder, created = DueRequestsReminder.objects.get_or_create(
            recipient_id=recipient_id, day=today
        )
        if created:
            transaction.on_commit(
                partial(
                    tasks.due_requests_letter_send.enqueue,
                    recipient_id=recipient_id,
                    request_ids=request_ids,
                )
            )
            queued += 1
    return queued
