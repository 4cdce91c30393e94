"""The journal of staff access to personal data: each look, change or export recorded."""

from collections.abc import Iterable, Sequence

from django.db import transaction

from staff.models import PersonalDataAccess

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
