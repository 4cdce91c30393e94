"""Destroying a subject's personal data (152-FZ art. 21) while keeping what the law requires.

What stays: the account row as a pseudonymous shell (other records point at it), consent
records and the request journal (the operator's evidence), link history and page-view counts.
What goes: every value that identifies the person — name, address, phone, IP addresses, browsers,
representatives' names and documents, free texts mentioning them — replaced by a pseudonymous
reference or removed. Consent records and the journal are append-only by database triggers;
this module is the one place allowed past them, for exactly those triggers, inside its own
transaction.
"""

import json
import re

import pgtrigger
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from accounts.models import User
from billing.models import AccountLink, LinkAttempt, LinkDispute
from billing.services import account_unlink
from consents.models import (
    ConsentRecord,
    DestructionAct,
    PolicyAcknowledgement,
    SubjectRequest,
    SubjectRequestEvent,
)
from feedback.models import FeedbackMessage, SpecialistRating
from incidents.models import Incident
from meters.models import Reading
from visits.models import Visit

REDACTED = "[уничтожено]"
UNLINK_REASON = "уничтожение ПДн"

# The triggers destruction passes, each for the one UPDATE that replaces PD in its rows.
_TRIGGERS_PASSED = (
    "consents.ConsentRecord:consents_record_no_update",
    "consents.PolicyAcknowledgement:consents_acknowledgement_no_update",
    "consents.SubjectRequestEvent:consents_request_event_no_update",
    "meters.Reading:meters_reading_no_update",
)

DESTROYED_CATEGORIES = [
    "фамилия, имя, отчество",
    "адрес электронной почты",
    "номер мобильного телефона",
    "пароль (хеш)",
    "IP-адреса и сведения о браузере в записях о согласиях, ознакомлениях с политикой, "
    "журнале посещений, попытках привязки лицевых счетов и переданных показаниях счётчиков",
    "ФИО и документы законного представителя",
    "сведения о субъекте в текстах обращений и истории их рассмотрения",
    "тексты сообщений в обратную связь, ответы на них и комментарии к оценкам",
    "сведения о субъекте в списках затронутых инцидентами",
    "привязки лицевых счетов к учётной записи (прекращены)",
]
SYSTEMS = [
    "Личный кабинет потребителя (lkk.ivsbyt.ru): база данных PostgreSQL",
    "Журнал попыток входа личного кабинета",
]


def subject_reference(user_id: int) -> str:
    """The pseudonymous reference to a subject: the account's number, no personal data.

    It replaces the person in the records a destruction keeps, and names them where their data
    is not needed (the request journal, the staff access log): one shape everywhere, so that an
    inspector can match the journal, the access log and the destruction acts.
    """
    return f"субъект-{user_id}"


class _Scrubber:
    """Replaces every known PD value of the person in free text and JSON."""

    def __init__(self, values: set[str], replacement: str) -> None:
        # Longest first, so that a full name goes before the surname inside it.
        wanted = sorted((v.strip() for v in values if len(v.strip()) >= 3), key=len, reverse=True)
        self.pattern = (
            re.compile("|".join(re.escape(v) for v in wanted), re.IGNORECASE) if wanted else None
        )
        self.replacement = replacement

    def text(self, value: str) -> str:
        return self.pattern.sub(self.replacement, value) if self.pattern and value else value

    def json(self, value):
        return json.loads(self.text(json.dumps(value, ensure_ascii=False)))


def _known_values(user: User, requests: list[SubjectRequest], events: list) -> set[str]:
    """Everything that identifies the person across the kept records, past values included."""
    values = {user.email, user.phone, user.last_name, user.first_name, user.get_full_name()}
    values |= {
        " ".join(p for p in (user.first_name, user.patronymic) if p),
        " ".join(p for p in (user.last_name, user.first_name) if p),
    }
    for request in requests:
        values |= {request.representative_name, request.representative_basis_number}
        for correction in request.corrections:
            values |= {str(correction.get("current", "")), str(correction.get("requested", ""))}
    for event in events:
        for change in event.data.get("changes", []):
            values |= {str(change.get("old", "")), str(change.get("new", ""))}
    values |= set(
        ConsentRecord.objects.filter(user=user)
        .exclude(representative_name="")
        .values_list("representative_name", flat=True)
    )
    values |= set(
        ConsentRecord.objects.filter(user=user)
        .exclude(represented_name="")
        .values_list("represented_name", flat=True)
    )
    return {v for v in values if v}


def _scrub_journal(scrub: _Scrubber, reference: str, requests, events) -> None:
    for request in requests:
        if request.representative_name:
            request.representative_name = reference
        request.representative_basis_type = ""
        request.representative_basis_number = ""
        request.details = scrub.text(request.details)
        request.answer = scrub.text(request.answer)
        request.extension_reason = scrub.text(request.extension_reason)
        request.corrections = [
            {"field": c.get("field", ""), "current": REDACTED, "requested": REDACTED}
            for c in request.corrections
        ]
    SubjectRequest.objects.bulk_update(
        requests,
        [
            "representative_name",
            "representative_basis_type",
            "representative_basis_number",
            "details",
            "answer",
            "extension_reason",
            "corrections",
        ],
    )
    for event in events:
        event.comment = scrub.text(event.comment)
        data = dict(event.data)
        if "changes" in data:
            data["changes"] = [
                {"field": c.get("field", ""), "old": REDACTED, "new": REDACTED}
                for c in data["changes"]
            ]
        event.data = scrub.json(data)
    SubjectRequestEvent.objects.bulk_update(events, ["comment", "data"])


@transaction.atomic
def subject_personal_data_destroy(
    *, request: SubjectRequest, actor: User, reason: str
) -> DestructionAct:
    """Destroy the PD of `request`'s subject and record the act, all in one transaction."""
    user = User.objects.select_for_update().get(pk=request.subject_id)
    reference = subject_reference(user.pk)
    requests = list(SubjectRequest.objects.select_for_update().filter(subject=user))
    events = list(SubjectRequestEvent.objects.filter(request__subject=user))
    scrub = _Scrubber(_known_values(user, requests, events), reference)
    counts: dict[str, int] = {}

    with pgtrigger.ignore(*_TRIGGERS_PASSED):
        records = ConsentRecord.objects.filter(user=user)
        counts["consent_records"] = records.update(
            ip_address=None, user_agent="", basis_document_type="", basis_document_number=""
        )
        records.exclude(representative_name="").update(representative_name=reference)
        records.exclude(represented_name="").update(represented_name=reference)
        counts["policy_acknowledgements"] = PolicyAcknowledgement.objects.filter(user=user).update(
            ip_address=None, user_agent=""
        )
        _scrub_journal(scrub, reference, requests, events)
        # The readings stay (billing counted them); the address they came from goes.
        counts["meter_readings"] = Reading.objects.filter(user=user).update(ip_address=None)
    counts["requests"] = len(requests)
    counts["request_events"] = len(events)

    links = list(AccountLink.objects.active().filter(user=user).select_related("account"))
    counts["account_links_ended"] = sum(
        account_unlink(link=link, by=actor, reason=UNLINK_REASON) for link in links
    )
    counts["link_attempts"] = LinkAttempt.objects.filter(user=user).update(ip_address=None)
    LinkDispute.objects.filter(user=user).update(comment="")
    counts["feedback_messages"] = FeedbackMessage.objects.filter(user=user).update(
        subject=REDACTED, text=REDACTED, answer_text=REDACTED
    )
    counts["specialist_ratings"] = SpecialistRating.objects.filter(author=user).update(comment="")
    # The notices themselves name only the (pseudonymous) account; the pasted lists of
    # affected people may name the person.
    incidents = list(Incident.objects.filter(subject_list__icontains=user.email))
    for incident in incidents:
        incident.subject_list = scrub.text(incident.subject_list)
    Incident.objects.bulk_update(incidents, ["subject_list"])
    # The page views stay as counts for the statistics, tied to no one.
    counts["visits"] = Visit.objects.for_user(user).update(user=None, ip=None, referrer="")
    counts["login_records"] = sum(
        model.objects.filter(username__iexact=user.email).delete()[0]
        for model in (AccessAttempt, AccessLog, AccessFailureLog)
    )
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    ).update(object_repr=reference)

    user.email = f"subject-{user.pk}@pd-destroyed.invalid"
    user.last_name = user.first_name = user.patronymic = user.phone = ""
    user.set_unusable_password()
    user.is_active = False
    user.awaiting_email_confirmation = False
    user.save()

    return DestructionAct.objects.create(
        request=request,
        subject_reference=reference,
        categories=DESTROYED_CATEGORIES,
        systems=SYSTEMS,
        reason=f"{request.get_kind_display()} (обращение № {request.number}). {reason}",
        performed_by=actor,
        counts=counts,
    )
