"""What a case's history holds about a person (see `lkk.personal_data`): their own steps and
comments, and the operator's answers and comments in their cases, which may quote them.

The history is append-only for everything else. The apps whose cases they are export it with
each case and, when they delete a case (a service request), delete its history with the helpers
below; the history of cases that stay (a feedback message kept depersonalized) is scrubbed here.
The daily reminder marks (`CaseReminder`, the PD requests' letter's too) name only members of
staff.
"""

from collections.abc import Iterable
from typing import Any

import pgtrigger
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cases.models import CaseEvent
from cases.registry import CASE_MODELS
from lkk import personal_data as pd

HISTORY_UPDATE_TRIGGER = "cases.CaseEvent:cases_event_no_update"
HISTORY_DELETE_TRIGGER = "cases.CaseEvent:cases_event_no_delete"


def case_history_export(model: type[models.Model], case_ids: Iterable[int]) -> dict[int, list[str]]:
    """The steps of these cases, per case id, one line each in words: one query."""
    steps: dict[int, list[str]] = {}
    for event in CaseEvent.objects.of_many(model, case_ids).order_by("at", "pk"):
        line = f"{timezone.localtime(event.at):%d.%m.%Y %H:%M} — {event.get_action_display()}"
        if event.comment:
            line = f"{line}: {event.comment}"
        steps.setdefault(event.case_id, []).append(line)
    return steps


def case_history_erase(model: type[models.Model], case_ids: Iterable[int]) -> int:
    """Delete the history of these cases (their destruction); returns how many rows."""
    with pgtrigger.ignore(HISTORY_DELETE_TRIGGER):
        deleted, _by_model = CaseEvent.objects.of_many(model, case_ids).delete()
    return deleted


def _case_labels(events: list[CaseEvent]) -> dict[tuple[int, int], str]:
    """«заявка № ЗВ-2026-000001» for each event's case: one query per kind of case present."""
    labels: dict[tuple[int, int], str] = {}
    for model in CASE_MODELS:
        case_type = ContentType.objects.get_for_model(model)
        ids = {e.case_id for e in events if e.case_type_id == case_type.pk}
        if ids:
            for pk, number in model._default_manager.filter(pk__in=ids).values_list("pk", "number"):
                labels[(case_type.pk, pk)] = f"{model._meta.verbose_name} № {number}"
    return labels


def _history_export(user: Any) -> list[pd.Row]:
    events = list(CaseEvent.objects.filter(actor=user).order_by("at", "pk"))
    labels = _case_labels(events)
    return [
        {
            "Когда": timezone.localtime(event.at),
            "Обращение или заявка": labels.get((event.case_type_id, event.case_id), ""),
            "Действие": event.get_action_display(),
            "Комментарий": event.comment,
        }
        for event in events
    ]


def _own_cases(user: Any) -> Q:
    query = Q(actor=user)
    for model in CASE_MODELS:
        query |= Q(
            case_type=ContentType.objects.get_for_model(model),
            case_id__in=model._default_manager.filter(user=user).values("pk"),
        )
    return query


def _history_erase(erasure: pd.Erasure) -> pd.Counts:
    """In the person's own cases and in their own steps the comments (their words, the answers
    to them) and the names of their files are destroyed; elsewhere every mention of them is
    replaced by their reference."""
    query = _own_cases(erasure.user)
    own = set(CaseEvent.objects.filter(query).values_list("pk", flat=True))
    for value in erasure.identifiers:
        query |= Q(comment__icontains=value) | Q(data__icontains=value)
    changed = []
    for event in CaseEvent.objects.filter(query):
        before = (event.comment, event.data)
        comment, data = event.comment, event.data
        if event.pk in own:
            comment = pd.REDACTED if comment else ""
            data = {key: pd.REDACTED if key == "file_name" else v for key, v in data.items()}
        event.comment = erasure.scrub_text(comment)
        event.data = erasure.scrub_json(data)
        if (event.comment, event.data) != before:
            changed.append(event)
    with pgtrigger.ignore(HISTORY_UPDATE_TRIGGER):
        CaseEvent.objects.bulk_update(changed, ["comment", "data"])
    return {"шаги рассмотрения обращений и заявок (комментарии уничтожены)": len(changed)}


pd.register(
    pd.Category(
        key="cases.history",
        title="Ход рассмотрения обращений и заявок",
        data=(
            "ваши действия: подача, комментарии, файлы, отзыв",
            "ответы и комментарии специалистов",
            "дата и время каждого шага",
        ),
        purpose="рассмотрение обращений и заявок и контроль сроков их рассмотрения",
        legal_basis=pd.Basis.CONTRACT,
        source=pd.Source.PERSON,
        retention=pd.Retention(description="вместе с обращением или заявкой, к которой относится"),
        models=("cases.CaseEvent",),
        export=_history_export,
        erase=_history_erase,
    )
)
pd.register_staff_records("cases.CaseReminder")
