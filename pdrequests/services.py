"""Workflows of PD subject requests: filing one (by the subject, by staff, on the withdrawal of
the required consent), its letters, and the daily reminder of due requests. Each function is one
transaction. What happens to a request after filing is `pdrequests.workflow`'s."""

import datetime
from functools import partial

from django.conf import settings
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

from accounts.models import User
from cases.models import soon_limit
from cases.services import due_letters_queue, due_recipients
from consents.models import ConsentPurpose, ConsentRecord
from consents.services import consent_withdraw
from consents.signals import required_consent_withdrawn
from lkk.limits import Limit, recent_duplicate, window_check
from lkk.person_cache import Shown, person_changed
from pdrequests import tasks
from pdrequests.models import (
    SUBJECT_TOLD_OF_AUTHORITY_REQUEST,
    DestructionNotice,
    SubjectRequest,
    SubjectRequestEvent,
    subject_request_number_next,
)
from staff.roles import PD_OFFICER


def subject_request_letter_queue(*, event: SubjectRequestEvent, to: str = "") -> None:
    """The letter about `event` goes out once the transaction that made it commits.

    `to` is given only for the destruction notice, whose address is destroyed by then: it waits
    in a `DestructionNotice` until sent, so that the task's arguments hold an id only."""
    request = event.request
    if request.filed_by == SubjectRequest.FiledBy.AUTHORITY:
        if request.authority_email:
            transaction.on_commit(partial(tasks.authority_letter_send.enqueue, event_id=event.pk))
        if event.action not in SUBJECT_TOLD_OF_AUTHORITY_REQUEST:
            return  # the person is told only what the law requires
    if request.subject_id is None:
        return  # no account, no address of the portal's: staff answer on paper or by email
    if to:
        DestructionNotice.objects.create(event=event, email=to)
    transaction.on_commit(partial(tasks.subject_request_letter_send.enqueue, event_id=event.pk))


@transaction.atomic
def subject_request_file(
    *,
    subject,
    filed_by_user,
    kind: str,
    filed_by: str = SubjectRequest.FiledBy.SUBJECT,
    reason: str = "",
    details: str = "",
    corrections: dict[str, str] | None = None,
    representative_name: str = "",
    representative_basis_type: str = "",
    representative_basis_number: str = "",
    authority_letter_number: str = "",
    authority_letter_date: datetime.date | None = None,
    authority_email: str = "",
    received_via: str = SubjectRequest.ReceivedVia.PORTAL,
    document_number: str = "",
    document_date: datetime.date | None = None,
    applicant_name: str = "",
    applicant_contact: str = "",
) -> SubjectRequest:
    """Register a request with its number and due date, and tell the subject.

    `subject` is None for a person without a portal account (`applicant_name` and
    `applicant_contact` say who they are and where the answer goes); a request that came on
    paper or by email (`received_via`) carries the document's number and date.

    A blocking request blocks the subject's data at once, "from the moment of the request"
    (policy 6.2.4), for the whole time it is verified; so does a correction request, which says
    the data are inaccurate (152-FZ art. 21 p. 2), until the correction is made. `corrections`
    maps a field of the person's data to the value it should have; the current value is
    recorded beside it.
    """
    received_at = timezone.now()
    request = SubjectRequest(
        number=subject_request_number_next(received_at=received_at),
        kind=kind,
        subject=subject,
        filed_by=filed_by,
        filed_by_user=filed_by_user,
        representative_name=representative_name,
        representative_basis_type=representative_basis_type,
        representative_basis_number=representative_basis_number,
        authority_letter_number=authority_letter_number,
        authority_letter_date=authority_letter_date,
        authority_email=authority_email,
        received_via=received_via,
        document_number=document_number,
        document_date=document_date,
        applicant_name=applicant_name,
        applicant_contact=applicant_contact,
        reason=reason,
        details=details,
        corrections=[
            {"field": field, "current": getattr(subject, field), "requested": requested}
            for field, requested in (corrections or {}).items()
        ],
        received_at=received_at,
        blocked_at=received_at if kind in SubjectRequest.BLOCKING_KINDS else None,
    )
    request.due_on = request.term_due_on()
    request.save()
    person_changed(Shown.PD_BLOCKING, [subject.pk if subject else None])
    event = SubjectRequestEvent.objects.create(
        request=request,
        at=received_at,
        actor=filed_by_user,
        to_status=request.status,
        data={"blocked": True} if request.blocked_at else {},
    )
    subject_request_letter_queue(event=event)
    return request


# A request sent again within this time with the same content is the same request: a double
# click or a resent form files one request, with one letter and one legal deadline.
DUPLICATE_WINDOW = datetime.timedelta(minutes=10)


@transaction.atomic
def subject_request_file_by_subject(
    *, subject, kind: str, corrections: dict[str, str] | None = None, **filing
) -> SubjectRequest:
    """The consumer's own request from «Мои обращения по ПДн»: `subject_request_file` once per
    submission, and at most PD_REQUESTS_PER_DAY a day (`lkk.limits`; RateLimited beyond).

    The same request sent again within DUPLICATE_WINDOW — however many at once — returns the
    one filed first."""
    same = SubjectRequest.objects.filter(
        subject=subject,
        filed_by_user=subject,
        kind=kind,
        reason=filing.get("reason", ""),
        details=filing.get("details", ""),
        filed_by=filing.get("filed_by", SubjectRequest.FiledBy.SUBJECT),
        corrections=[
            {"field": field, "current": getattr(subject, field), "requested": requested}
            for field, requested in (corrections or {}).items()
        ],
    )
    lock_key = f"consents.request:{subject.pk}"
    earlier = recent_duplicate(
        same, at_field="received_at", within=DUPLICATE_WINDOW, lock_key=lock_key
    )
    if earlier is not None:
        return earlier
    window_check(
        SubjectRequest.objects.filter(subject=subject, filed_by_user=subject),
        at_field="received_at",
        limit=Limit(settings.PD_REQUESTS_PER_DAY, datetime.timedelta(days=1)),
        lock_key=lock_key,
    )
    return subject_request_file(
        subject=subject, filed_by_user=subject, kind=kind, corrections=corrections, **filing
    )


@transaction.atomic
def subject_request_register(
    *,
    registered_by,
    kind: str,
    received_via: str,
    document_number: str,
    document_date: datetime.date,
    subject=None,
    **filing,
) -> SubjectRequest:
    """A request or a consent withdrawal that came on paper or by email, registered by staff for
    a person with or without a portal account: the same journal, term and workflow as a request
    filed in the portal, with the document's number and date.

    A withdrawal from an account holder whose consent is in force is recorded as the withdrawal
    of that consent too (source «сотрудник по бумажному заявлению»), as if they had withdrawn it
    in the portal; the request registered here is the one that follows it.
    """
    request = subject_request_file(
        subject=subject,
        filed_by_user=registered_by,
        kind=kind,
        received_via=received_via,
        document_number=document_number,
        document_date=document_date,
        **filing,
    )
    if kind == SubjectRequest.Kind.WITHDRAWAL and subject is not None:
        consent_in_force = (
            ConsentRecord.objects.current_for(subject)
            .filter(purpose__code=ConsentPurpose.ACCOUNT, action=ConsentRecord.Action.GIVEN)
            .exists()
        )
        if consent_in_force:
            consent_withdraw(
                user=subject,
                purpose_code=ConsentPurpose.ACCOUNT,
                source=ConsentRecord.Source.STAFF_PAPER,
                ip_address=None,
                user_agent="",
                acted_by=registered_by,
                document_number=document_number,
                document_date=document_date,
            )
    return request


@receiver(required_consent_withdrawn, dispatch_uid="pdrequests_withdrawal_request")
def withdrawal_request_file(*, record: ConsentRecord, acted_by, details: str, **kwargs) -> None:
    """The required consent was withdrawn: file the request to destroy the data, unless one is
    open already."""
    user = record.user
    already_filed = (
        SubjectRequest.objects.open()
        .for_subject(user)
        .filter(kind=SubjectRequest.Kind.WITHDRAWAL)
        .exists()
    )
    if not already_filed:
        subject_request_file(
            subject=user,
            filed_by_user=acted_by or user,
            kind=SubjectRequest.Kind.WITHDRAWAL,
            details=details,
        )


# The mark of the PD requests' daily letter (see `cases.models.CaseReminder`).
DUE_REQUESTS_LETTER = "pdrequests"


def _due_requests_letter_enqueue(recipient_id: int, request_ids: list[int]) -> None:
    tasks.due_requests_letter_send.enqueue(recipient_id=recipient_id, request_ids=request_ids)


@transaction.atomic
def due_requests_remind(*, today: datetime.date) -> int:
    """Queue one letter per member of staff about the open requests overdue or due within two
    working days: to each assignee their own, to every PD officer all of them (the officer
    answers for every request's legal term, taken or not).

    The cases' reminder pipeline with its own letter, which names the legal terms: once a day
    per person (a retried cron job sends nothing more), marked apart from the cases' letter.
    Returns how many letters were queued.
    """
    due = (
        SubjectRequest.objects.open()
        .filter(due_on__lte=soon_limit(today))
        .order_by("due_on", "pk")
        .values_list("pk", "assignee_id")
    )
    officers = list(
        User.objects.filter(is_active=True, is_staff=True, groups__name=PD_OFFICER).values_list(
            "pk", flat=True
        )
    )
    return due_letters_queue(
        letter=DUE_REQUESTS_LETTER,
        today=today,
        by_recipient=due_recipients(due, overseers=officers),
        enqueue=_due_requests_letter_enqueue,
    )
