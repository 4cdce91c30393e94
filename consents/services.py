"""Workflows that write consent evidence and file PD subject requests. Each function is one
transaction. What happens to a request after filing is `consents.workflow`'s."""

import datetime
from dataclasses import asdict, dataclass
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from consents import tasks
from consents.models import (
    ConsentPurpose,
    ConsentRecord,
    ConsentText,
    DestructionNotice,
    PolicyAcknowledgement,
    SubjectRequest,
    SubjectRequestEvent,
)
from consents.models.subject_requests import (
    SUBJECT_TOLD_OF_AUTHORITY_REQUEST,
    subject_request_number_next,
)
from lkk.limits import Limit, recent_duplicate, window_check
from lkk.request_info import USER_AGENT_MAX_LENGTH
from privacy.models import PolicyVersion


@dataclass(frozen=True)
class Representative:
    """A legal representative acting for the subject (policy 1.7), as stated in the form."""

    representative_name: str
    represented_name: str
    basis_document_type: str
    basis_document_number: str


class ConsentTextMissing(LookupError):
    """The purpose has no published text: nothing the person could have agreed to."""


def _current_text(purpose_code: str) -> ConsentText:
    text = ConsentText.objects.current_for_code(purpose_code)
    if text is None:
        raise ConsentTextMissing(f"No consent text is published for purpose {purpose_code!r}")
    return text


def _record(
    *,
    user,
    text: ConsentText,
    action: str,
    source: str,
    ip_address: str | None,
    user_agent: str,
    policy_version: PolicyVersion | None,
    representative: Representative | None = None,
    acted_by=None,
    document_number: str = "",
    document_date: datetime.date | None = None,
) -> ConsentRecord:
    # The dataclass's fields are the record's representative columns, name for name.
    representative_fields = asdict(representative) if representative else {}
    return ConsentRecord.objects.create(
        user=user,
        purpose=text.purpose,
        action=action,
        text=text,
        policy_version=policy_version,
        ip_address=ip_address or None,
        user_agent=user_agent[:USER_AGENT_MAX_LENGTH],
        source=source,
        acted_by=acted_by,
        document_number=document_number,
        document_date=document_date,
        **representative_fields,
    )


@transaction.atomic
def consent_give(
    *,
    user,
    purpose_code: str,
    source: str,
    ip_address: str | None,
    user_agent: str,
    representative: Representative | None = None,
    acted_by=None,
) -> ConsentRecord:
    """Record that the person gave the consent, with the text and policy versions in force."""
    return _record(
        user=user,
        text=_current_text(purpose_code),
        action=ConsentRecord.Action.GIVEN,
        source=source,
        ip_address=ip_address,
        user_agent=user_agent,
        policy_version=PolicyVersion.objects.current(),
        representative=representative,
        acted_by=acted_by,
    )


@transaction.atomic
def consent_withdraw(
    *,
    user,
    purpose_code: str,
    source: str,
    ip_address: str | None,
    user_agent: str,
    acted_by=None,
    document_number: str = "",
    document_date: datetime.date | None = None,
) -> ConsentRecord:
    """Record a withdrawal (made in a paper or an email staff record: with its number and date).
    Without the required consent the account cannot exist: deactivate it,
    withdraw the optional consents still given, and file a withdrawal request so that staff
    destroy the data within 30 days (152-FZ art. 21 part 5).
    """
    text = _current_text(purpose_code)
    origin = {
        "source": source,
        "ip_address": ip_address,
        "user_agent": user_agent,
        "policy_version": PolicyVersion.objects.current(),
        "acted_by": acted_by,
        "document_number": document_number,
        "document_date": document_date,
    }
    record = _record(user=user, text=text, action=ConsentRecord.Action.WITHDRAWN, **origin)
    if text.purpose.is_required:
        get_user_model().objects.filter(pk=user.pk).update(is_active=False)
        user.is_active = False
        still_given = ConsentRecord.objects.current_for(user).filter(
            action=ConsentRecord.Action.GIVEN, purpose__is_required=False
        )
        for given in still_given:
            _record(
                user=user,
                text=_current_text(given.purpose.code),
                action=ConsentRecord.Action.WITHDRAWN,
                **origin,
            )
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
                details=f"Отзыв согласия «{text.purpose.name}» ({record.get_source_display()}).",
            )
    return record


@transaction.atomic
def policy_accept(
    *, user, policy_version: PolicyVersion, ip_address: str | None, user_agent: str
) -> ConsentRecord:
    """The person read a policy version that requires renewed consent, acknowledged it and
    consented again: two statements, two records (the consent is a document of its own, 152-FZ
    art. 9 p. 1, separate from reading the policy)."""
    policy_acknowledge(
        user=user, policy_version=policy_version, ip_address=ip_address, user_agent=user_agent
    )
    return _record(
        user=user,
        text=_current_text(ConsentPurpose.ACCOUNT),
        action=ConsentRecord.Action.GIVEN,
        source=ConsentRecord.Source.POLICY_RENEWAL,
        ip_address=ip_address,
        user_agent=user_agent,
        policy_version=policy_version,
    )


@transaction.atomic
def policy_acknowledge(
    *, user, policy_version: PolicyVersion, ip_address: str | None, user_agent: str
) -> PolicyAcknowledgement:
    """The person confirmed having read a policy version (at registration, on renewal, or by
    dismissing the notice of it); a second confirmation is a no-op."""
    acknowledgement, _created = PolicyAcknowledgement.objects.get_or_create(
        user=user,
        policy_version=policy_version,
        defaults={
            "ip_address": ip_address or None,
            "user_agent": user_agent[:USER_AGENT_MAX_LENGTH],
        },
    )
    return acknowledgement


@transaction.atomic
def consent_text_publish(
    *, purpose: ConsentPurpose, title: str, body: str, published_by
) -> ConsentText:
    """Publish a changed wording as the purpose's next version; earlier versions stay as they are.

    The purpose row is locked so that two staff members publishing at once get distinct numbers.
    """
    ConsentPurpose.objects.select_for_update().get(pk=purpose.pk)
    latest = purpose.texts.aggregate(latest=Max("version"))["latest"] or 0
    return ConsentText.objects.create(
        purpose=purpose,
        version=latest + 1,
        title=title,
        body=body,
        operator=operator_requisites(),
        published_by=published_by,
    )


def operator_requisites() -> dict[str, str]:
    """The operator's requisites in force (settings.OPERATOR), as a consent text keeps them."""
    return {key: str(value) for key, value in settings.OPERATOR.items()}


def consent_texts_outdated() -> list[ConsentText]:
    """The texts in force that were published under other requisites of the operator."""
    current = operator_requisites()
    return [
        text
        for text in (ConsentText.objects.order_by("purpose_id", "-version").distinct("purpose_id"))
        if text.operator != current
    ]


@transaction.atomic
def consent_texts_republish(*, published_by=None) -> list[ConsentText]:
    """Publish, for every purpose whose text in force names other requisites, a new version
    naming the ones in force now; earlier versions stay as they were read."""
    current = operator_requisites()
    published = []
    for text in consent_texts_outdated():
        body = text.body
        for key, old in text.operator.items():
            if old and current.get(key) and old != current[key]:
                body = body.replace(old, current[key])
        published.append(
            consent_text_publish(
                purpose=text.purpose, title=text.title, body=body, published_by=published_by
            )
        )
    return published


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
    (policy 6.2.4), for the whole time it is verified. `corrections` maps a field of the
    person's data to the value it should have; the current value is recorded beside it.
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
        blocked_at=received_at if kind == SubjectRequest.Kind.BLOCKING else None,
    )
    request.due_on = request.term_due_on()
    request.save()
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
