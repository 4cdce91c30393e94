"""Destroying a subject's personal data (152-FZ art. 21) while keeping what the law requires.

What goes and what stays is declared by each app in the registry (`lkk.personal_data`): this
module runs every declared erase in one transaction and records the act from what they report.
What stays: the account row as a pseudonymous shell (other records point at it), consent records
and the request journal (the operator's evidence), link history and page-view counts; every
value that identifies the person is replaced by a pseudonymous reference or removed.
"""

from django.db import transaction

from accounts.models import User
from lkk import personal_data
from pdrequests.models import DestructionAct, SubjectRequest

REDACTED = personal_data.REDACTED
subject_reference = personal_data.subject_reference


@transaction.atomic
def subject_personal_data_destroy(
    *, request: SubjectRequest, actor: User, reason: str, position: str = ""
) -> DestructionAct:
    """Destroy the PD of `request`'s subject and record the act, all in one transaction:
    `position` is the performer's, and the processors acting on the operator's instruction are
    named as the registry declares them now (RKN Order 179 p. 3)."""
    if request.subject_id is None:
        raise ValueError("A person without a portal account has no account data to destroy.")
    user = User.objects.select_for_update().get(pk=request.subject_id)
    reference = subject_reference(user.pk)
    outcome = personal_data.erase_all(user=user, actor=actor, reference=reference)
    return DestructionAct.objects.create(
        request=request,
        subject_reference=reference,
        categories=outcome.categories,
        systems=outcome.systems,
        reason=f"{request.get_kind_display()} (обращение № {request.number}). {reason}",
        performed_by=actor,
        performer_position=position,
        processors=list(personal_data.PROCESSORS),
        counts=outcome.counts,
    )


def performer_position_last(user: User) -> str:
    """The position `user` gave in their latest act: what the next act most likely says too."""
    return (
        DestructionAct.objects.filter(performed_by=user)
        .order_by("-destroyed_at", "-pk")
        .values_list("performer_position", flat=True)
        .first()
        or ""
    )
