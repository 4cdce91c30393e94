"""What the consents app holds about a person: consent records, acknowledgements of the policy
and PD subject requests (see `lkk.personal_data`).

Consent records, acknowledgements and the request journal are the operator's evidence (152-FZ
art. 9 p. 3, art. 14, 20, 21) and are append-only by database triggers; destruction keeps them
with the person replaced by a pseudonymous reference, passing exactly those triggers.
"""

import pgtrigger
from django.db.models import Prefetch
from django.utils import timezone

from consents.models import (
    ConsentPurpose,
    ConsentRecord,
    DestructionNotice,
    PolicyAcknowledgement,
    SubjectRequest,
    SubjectRequestEvent,
)
from lkk import personal_data as pd

# The triggers destruction passes, each for the one UPDATE that replaces PD in its rows.
_TRIGGERS_PASSED = (
    "consents.ConsentRecord:consents_record_no_update",
    "consents.PolicyAcknowledgement:consents_acknowledgement_no_update",
    "consents.SubjectRequestEvent:consents_request_event_no_update",
)
_EVIDENCE = pd.Retention(
    description="в течение срока действия согласия и трёх лет после его отзыва или "
    "прекращения обработки (доказательство согласия, ст. 9 ч. 3 152-ФЗ)"
)


def _moment(value):
    return timezone.localtime(value) if value else None


# --- Consent records ------------------------------------------------------------------------------


def _records_identifiers(user) -> list[str]:
    rows = ConsentRecord.objects.filter(user=user).values_list(
        "representative_name", "represented_name", "basis_document_number"
    )
    return [value for row in rows for value in row if value]


def _records_export(user) -> list[pd.Row]:
    state = {
        purpose.pk: (
            "согласие дано"
            if purpose.is_given
            else "согласие отозвано"
            if purpose.current_action
            else "согласие не давалось"
        )
        for purpose in ConsentPurpose.objects.with_state_for(user)
    }
    return [
        {
            "Когда": _moment(record.created_at),
            "Согласие": record.purpose.name,
            "Действие": record.get_action_display(),
            "Текст согласия, редакция": record.text.version,
            "Редакция политики": record.policy_version.label if record.policy_version else None,
            "Как": record.get_source_display(),
            "IP-адрес": record.ip_address,
            "Браузер": record.user_agent,
            "Законный представитель": record.representative_name,
            "Представляемое лицо": record.represented_name,
            "Документ-основание": " № ".join(
                p for p in (record.basis_document_type, record.basis_document_number) if p
            ),
            "Состояние согласия сейчас": state.get(record.purpose_id, ""),
        }
        for record in ConsentRecord.objects.history_for(user).order_by("created_at", "pk")
    ]


def _records_erase(erasure: pd.Erasure) -> pd.Counts:
    records = ConsentRecord.objects.filter(user=erasure.user)
    with pgtrigger.ignore(*_TRIGGERS_PASSED):
        count = records.update(
            ip_address=None, user_agent="", basis_document_type="", basis_document_number=""
        )
        records.exclude(representative_name="").update(representative_name=erasure.reference)
        records.exclude(represented_name="").update(represented_name=erasure.reference)
    return {"записи о согласиях (обезличены)": count}


# --- Acknowledgements of the policy ------------------------------------------------------------


def _acknowledgements_export(user) -> list[pd.Row]:
    return [
        {
            "Редакция политики": ack.policy_version.label,
            "Ознакомлен": _moment(ack.created_at),
            "IP-адрес": ack.ip_address,
            "Браузер": ack.user_agent,
        }
        for ack in PolicyAcknowledgement.objects.filter(user=user)
        .select_related("policy_version")
        .order_by("created_at", "pk")
    ]


def _acknowledgements_erase(erasure: pd.Erasure) -> pd.Counts:
    with pgtrigger.ignore(*_TRIGGERS_PASSED):
        count = PolicyAcknowledgement.objects.filter(user=erasure.user).update(
            ip_address=None, user_agent=""
        )
    return {"ознакомления с политикой (обезличены)": count}


# --- PD subject requests --------------------------------------------------------------------------


def _requests_identifiers(user) -> list[str]:
    values: list[str] = []
    for request in SubjectRequest.objects.filter(subject=user):
        values += [request.representative_name, request.representative_basis_number]
        for correction in request.corrections:
            values += [str(correction.get("current", "")), str(correction.get("requested", ""))]
    for data in SubjectRequestEvent.objects.filter(request__subject=user).values_list(
        "data", flat=True
    ):
        for change in data.get("changes", []):
            values += [str(change.get("old", "")), str(change.get("new", ""))]
    return values


def _requests_export(user) -> list[pd.Row]:
    requests = (
        SubjectRequest.objects.for_subject(user)
        .order_by("received_at", "pk")
        .prefetch_related(
            Prefetch("events", queryset=SubjectRequestEvent.objects.order_by("at", "pk"))
        )
    )
    return [
        {
            "Номер": request.number,
            "Вид": request.get_kind_display(),
            "Подано": _moment(request.received_at),
            "Кем": request.get_filed_by_display(),
            "Представитель": request.representative_name,
            "Основание": request.get_reason_display(),
            "Текст": request.details,
            "Исправления": "; ".join(
                f"{c.get('current') or 'не указано'} → {c.get('requested', '')}"
                for c in request.corrections
            ),
            "Состояние": request.get_status_display(),
            "Срок": request.extended_on or request.due_on,
            "Продлено по причине": request.extension_reason,
            "Данные заблокированы": _moment(request.blocked_at),
            "Блокировка снята": _moment(request.unblocked_at),
            "Закрыто": _moment(request.completed_at),
            "Итог": request.get_outcome_display(),
            "Ответ": request.answer,
            # The subject sees what happened and when; staff's internal notes stay internal.
            "История": "; ".join(
                f"{timezone.localtime(event.at):%d.%m.%Y %H:%M} — {event.title}"
                for event in request.events.all()
            ),
        }
        for request in requests
    ]


def _requests_erase(erasure: pd.Erasure) -> pd.Counts:
    reference = erasure.reference
    requests = list(SubjectRequest.objects.select_for_update().filter(subject=erasure.user))
    events = list(SubjectRequestEvent.objects.filter(request__subject=erasure.user))
    for request in requests:
        if request.representative_name:
            request.representative_name = reference
        request.representative_basis_type = ""
        request.representative_basis_number = ""
        request.details = erasure.scrub_text(request.details)
        request.answer = erasure.scrub_text(request.answer)
        request.extension_reason = erasure.scrub_text(request.extension_reason)
        request.corrections = [
            {"field": c.get("field", ""), "current": pd.REDACTED, "requested": pd.REDACTED}
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
        event.comment = erasure.scrub_text(event.comment)
        data = dict(event.data)
        if "changes" in data:
            data["changes"] = [
                {"field": c.get("field", ""), "old": pd.REDACTED, "new": pd.REDACTED}
                for c in data["changes"]
            ]
        event.data = erasure.scrub_json(data)
    with pgtrigger.ignore(*_TRIGGERS_PASSED):
        SubjectRequestEvent.objects.bulk_update(events, ["comment", "data"])
    return {
        "обращения по ПДн (обезличены)": len(requests),
        "записи истории обращений (обезличены)": len(events),
    }


def _notices_expire(now, dry_run: bool) -> pd.Counts:
    """Destruction notices the mail server never took: their address goes anyway."""
    old = DestructionNotice.objects.filter(
        created_at__lt=pd.older_than(now, "DESTRUCTION_NOTICE_RETENTION_DAYS")
    )
    return {
        "неотправленные уведомления об уничтожении (удалены)": pd.expire_rows(old, dry_run=dry_run)
    }


pd.register(
    pd.Category(
        key="consents.records",
        title="Согласия на обработку персональных данных и их отзывы",
        data=(
            "действие (дано, отозвано) и текст согласия",
            "IP-адрес и сведения о браузере",
            "ФИО законного представителя и реквизиты документа",
        ),
        purpose="подтверждение получения согласия и его отзыва (ст. 9 ч. 3 152-ФЗ)",
        legal_basis=pd.Basis.LAW,
        source=pd.Source.PERSON,
        retention=_EVIDENCE,
        models=("consents.ConsentRecord",),
        export=_records_export,
        erase=_records_erase,
        identifiers=_records_identifiers,
        erase_order=10,
    ),
    pd.Category(
        key="consents.policy_acknowledgements",
        title="Ознакомление с политикой обработки персональных данных",
        data=("редакция политики и время ознакомления", "IP-адрес и сведения о браузере"),
        purpose="подтверждение ознакомления с политикой оператора",
        legal_basis=pd.Basis.LAW,
        source=pd.Source.PERSON,
        retention=_EVIDENCE,
        models=("consents.PolicyAcknowledgement",),
        export=_acknowledgements_export,
        erase=_acknowledgements_erase,
        erase_order=10,
    ),
    pd.Category(
        key="consents.requests",
        title="Обращения по персональным данным",
        data=(
            "текст обращения и ответ",
            "исправляемые сведения",
            "ФИО законного представителя и реквизиты документа",
            "история рассмотрения",
        ),
        purpose="рассмотрение обращений субъекта (ст. 14, 20, 21 152-ФЗ)",
        legal_basis=pd.Basis.LAW,
        source=pd.Source.PERSON,
        retention=pd.Retention(
            description="журнал обращений хранится пять лет; после уничтожения ПДн — обезличенным"
        ),
        models=(
            "consents.SubjectRequest",
            "consents.SubjectRequestEvent",
            "consents.DestructionAct",
            "consents.DestructionNotice",
        ),
        export=_requests_export,
        erase=_requests_erase,
        expire=_notices_expire,
        identifiers=_requests_identifiers,
        erase_order=10,
    ),
)
pd.register_staff_records("consents.ConsentText", "consents.ConsentPurpose")
