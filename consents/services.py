"""Workflows that write consent evidence. Each function is one transaction."""

from dataclasses import asdict, dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max

from consents.models import ConsentPurpose, ConsentRecord, ConsentText, PolicyAcknowledgement
from consents.request_info import USER_AGENT_MAX_LENGTH
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
) -> ConsentRecord:
    """Record a withdrawal. Without the required consent the account cannot exist: deactivate it.

    Destroying the data within 30 days is the staff-side follow-up (PD requests).
    """
    text = _current_text(purpose_code)
    record = _record(
        user=user,
        text=text,
        action=ConsentRecord.Action.WITHDRAWN,
        source=source,
        ip_address=ip_address,
        user_agent=user_agent,
        policy_version=PolicyVersion.objects.current(),
        acted_by=acted_by,
    )
    if text.purpose.is_required:
        get_user_model().objects.filter(pk=user.pk).update(is_active=False)
        user.is_active = False
    return record


@transaction.atomic
def policy_accept(
    *, user, policy_version: PolicyVersion, ip_address: str | None, user_agent: str
) -> ConsentRecord:
    """The person read a policy version that requires renewed consent and consented again."""
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
    """The person dismissed the notice of a new policy version; a second dismissal is a no-op."""
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
        published_by=published_by,
    )
