"""What the PD-requests app holds about a person: their requests with the history, the
destruction acts and notices (see `lkk.personal_data`).

The request journal is the operator's evidence (152-FZ art. 14, 20, 21), append-only by database
triggers; destruction keeps it with the person replaced by a pseudonymous reference, passing
exactly the trigger below.
"""

import pgtrigger
from django.db.models import Prefetch
from django.utils import timezone

from lkk import personal_data as pd
from pdrequests.models import DestructionNotice, SubjectRequest, SubjectRequestEvent

# The trigger destruction passes, for the one UPDATE that replaces PD in the history.
_TRIGGERS_PASSED = ("pdrequests.SubjectRequestEvent:consents_request_event_no_update",)


def _moment(value):
    return timezone.localtime(value) if value else None


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
        key="consents.requests",  # kept from when requests lived in consents: keys are stable
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
            description=(
                "журнал обращений хранится пять лет, после уничтожения ПДн — обезличенным; акты "
                "об уничтожении и выгрузки из журнала — не менее трёх лет (приказ РКН № 179)"
            )
        ),
        models=(
            "pdrequests.SubjectRequest",
            "pdrequests.SubjectRequestEvent",
            "pdrequests.DestructionAct",
            "pdrequests.DestructionNotice",
        ),
        export=_requests_export,
        erase=_requests_erase,
        expire=_notices_expire,
        identifiers=_requests_identifiers,
        erase_order=10,
    ),
)


def _blockings(subject_id: int) -> list[pd.Blocking]:
    rows = (
        SubjectRequest.objects.blocking_in_force()
        .filter(subject_id=subject_id)
        .order_by("received_at")
        .values_list("number", "assignee_id")
    )
    return [pd.Blocking(number=number, assignee_id=assignee_id) for number, assignee_id in rows]


pd.subject_states_provide(
    pd.SubjectStates(
        blocked=lambda: SubjectRequest.objects.blocking_in_force().values("subject"),
        destroyed=lambda: SubjectRequest.objects.filter(destroyed_at__isnull=False).values(
            "subject"
        ),
        blockings=_blockings,
    )
)
