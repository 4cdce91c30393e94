"""Workflows that write consent evidence. Each function is one transaction."""

import datetime
from dataclasses import asdict, dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max

from consents import signals
from consents.models import ConsentPurpose, ConsentRecord, ConsentText, PolicyAcknowledgement
from lkk.person_cache import Shown, person_changed
from lkk.request_info import USER_AGENT_MAX_LENGTH
from privacy.models import PolicyVersion
from privacy.public_pages import public_pages_changed


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
    person_changed(Shown.PENDING_POLICY, [user.pk])  # consenting under a version accepts it
    person_changed(Shown.DASHBOARD, [user.pk])  # the dashboard shows each consent's state
    person_changed(Shown.CONSENT_HISTORY, [user.pk])
    person_changed(Shown.CONSENT_STATES, [user.pk])
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
    """Record a withdrawal (one staff record from a paper or an email carries its number and
    date). Without the required consent the account cannot exist: deactivate it, withdraw the
    optional consents still given, and announce it (`required_consent_withdrawn`), so that a
    withdrawal request is filed and staff destroy the data within 30 days (152-FZ art. 21
    part 5).
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
        signals.required_consent_withdrawn.send(
            sender=ConsentRecord,
            record=record,
            acted_by=acted_by,
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
    person_changed(Shown.PENDING_POLICY, [user.pk])
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
    public_pages_changed()
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
