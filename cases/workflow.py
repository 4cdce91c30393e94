"""The one workflow of cases: which step is allowed when, who takes it, and what it changes.

    new ──take──▶ in work ──answer──▶ answered
     │              │ ──close───▶ closed (without an answer: spam, a duplicate)
     │              └ withdraw (the author) ▶ withdrawn
     └── answer / close / withdraw, as from «in work»

While a case is open: a comment or a file (the author or staff), a visit time (staff, for meter
jobs: it takes the case into work). Every step is one transaction on the locked case row and
writes one history row; letters are the calling app's business, queued after the commit.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import OPEN_STATUSES, CaseAction, CaseEvent, CaseMixin, CaseStatus


class CaseStepRefused(Exception):
    """The step is not allowed now; `message` says why, in words for the person acting."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class _Step:
    to_status: str | None  # None: the status stays
    by_author: bool  # the case's author may take it
    by_staff: bool


_OPEN = frozenset(OPEN_STATUSES)
STEPS: dict[str, _Step] = {
    CaseAction.TAKE: _Step(CaseStatus.IN_WORK, by_author=False, by_staff=True),
    CaseAction.VISIT: _Step(CaseStatus.IN_WORK, by_author=False, by_staff=True),
    CaseAction.COMMENT: _Step(None, by_author=True, by_staff=True),
    CaseAction.FILE: _Step(None, by_author=True, by_staff=True),
    CaseAction.ANSWER: _Step(CaseStatus.ANSWERED, by_author=False, by_staff=True),
    CaseAction.CLOSE: _Step(CaseStatus.CLOSED, by_author=False, by_staff=True),
    CaseAction.WITHDRAW: _Step(CaseStatus.WITHDRAWN, by_author=True, by_staff=False),
}


def case_refusal(case: CaseMixin, *, action: str, by_author: bool) -> str | None:
    """Why `action` cannot be taken on `case` now, in Russian; None if it can."""
    step = STEPS.get(action)
    if step is None or action not in case.CASE_ACTIONS:
        return _("Это действие с обращением не предусмотрено.")
    if not (step.by_author if by_author else step.by_staff):
        return (
            _("Это действие может выполнить только сотрудник.")
            if by_author
            else _("Это действие может выполнить только автор обращения.")
        )
    if case.status not in _OPEN:
        return _("Рассмотрение уже завершено (%(status)s): изменить ничего нельзя.") % {
            "status": case.get_status_display()
        }
    return None


def case_event_record(
    *,
    case: CaseMixin,
    action: str,
    actor: Any,
    from_status: str = "",
    comment: str = "",
    data: dict | None = None,
) -> CaseEvent:
    """Write one history row (the filing, or a step `case_step` did not make)."""
    return CaseEvent.objects.create(
        case_type=ContentType.objects.get_for_model(case),
        case_id=case.pk,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=case.status,
        comment=comment,
        data=data or {},
    )


@transaction.atomic
def case_step[Case: CaseMixin](
    *,
    case: Case,
    action: str,
    by: Any,
    comment: str = "",
    data: dict | None = None,
    assignee: Any = None,
    answer_text: str = "",
    changes: dict[str, Any] | None = None,
) -> Case:
    """Take one step on `case` as `by` and record it; returns the case as now saved.

    Whether `by` acts as the author or as staff is decided here: the author is the case's
    `user`. `assignee` (TAKE) defaults to `by`; `answer_text` is required for ANSWER; `changes`
    are the model's own fields the step sets (a visit's time). Raises CaseStepRefused.
    """
    model = type(case)
    case = model._default_manager.select_for_update().get(pk=case.pk)
    by_author = by is not None and case.user_id == by.pk and not by.is_staff
    refusal = case_refusal(case, action=action, by_author=by_author)
    if refusal is not None:
        raise CaseStepRefused(refusal)
    step = STEPS[action]
    from_status = case.status
    now = timezone.now()
    fields = ["status", *(changes or {})]
    for name, value in (changes or {}).items():
        setattr(case, name, value)
    if step.to_status is not None:
        case.status = step.to_status
    if action in (CaseAction.TAKE, CaseAction.VISIT):
        case.assignee = assignee or case.assignee or by
        fields.append("assignee")
    elif action == CaseAction.ANSWER:
        if not answer_text.strip():
            raise CaseStepRefused(_("Напишите ответ: без текста ответ не отправляется."))
        case.answer_text, case.answered_at = answer_text, now
        case.assignee_id = case.assignee_id or by.pk
        fields += ["answer_text", "answered_at", "assignee"]
    elif action == CaseAction.CLOSE:
        case.closed_at = now
        case.assignee_id = case.assignee_id or by.pk
        fields += ["closed_at", "assignee"]
    elif action == CaseAction.WITHDRAW:
        case.closed_at = now
        fields.append("closed_at")
    case.save(update_fields=list(dict.fromkeys(fields)))
    case_event_record(
        case=case,
        action=action,
        actor=by,
        from_status=from_status,
        comment=answer_text if action == CaseAction.ANSWER else comment,
        data=data,
    )
    return case


@transaction.atomic
def cases_step_many(
    *, cases: "models.QuerySet[CaseMixin]", action: str, by: Any, assignee: Any = None
) -> int:
    """TAKE or CLOSE for the open ones among `cases` (the admin's actions), as staff: a
    constant number of queries whatever their number. Returns how many were changed."""
    if action not in (CaseAction.TAKE, CaseAction.CLOSE):
        raise ValueError(f"{action} is taken one case at a time")
    model = cases.model
    if action not in model.CASE_ACTIONS:
        return 0
    rows: list[tuple[int, str]] = list(
        cases.filter(status__in=OPEN_STATUSES)  # what CaseQuerySetMixin.open() selects
        .select_for_update()
        .order_by("pk")
        .values_list("pk", "status")
    )
    if not rows:
        return 0
    now = timezone.now()
    ids = [pk for pk, _status in rows]
    one_by_one = model._default_manager.filter(pk__in=ids)
    if action == CaseAction.TAKE:
        one_by_one.update(status=CaseStatus.IN_WORK, assignee=assignee or by)
        to_status = CaseStatus.IN_WORK
    else:
        one_by_one.update(
            status=CaseStatus.CLOSED, closed_at=now, assignee=Coalesce("assignee", Value(by.pk))
        )
        to_status = CaseStatus.CLOSED
    case_type = ContentType.objects.get_for_model(model)
    CaseEvent.objects.bulk_create(
        CaseEvent(
            case_type=case_type,
            case_id=pk,
            at=now,
            actor=by,
            action=action,
            from_status=status,
            to_status=to_status,
            data={"assignee_id": (assignee or by).pk} if action == CaseAction.TAKE else {},
        )
        for pk, status in rows
    )
    return len(rows)


def history_rows(events: Iterable[CaseEvent], *, author_id: int | None) -> list[dict]:
    """The history as the author sees it: their own steps as «вы», the operator's as
    «специалист» (a consumer sees no staff names)."""
    rows = []
    for event in events:
        if event.actor_id is not None and event.actor_id == author_id:
            who = _("вы")
        elif event.actor_id is None:
            who = _("гость")
        else:
            who = _("специалист")
        rows.append({"event": event, "who": who})
    return rows
