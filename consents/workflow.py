"""The state machine of PD subject requests: the one place saying which action is allowed when,
who may take it and what it does.

    received ──take into work──▶ in work ◀──documents received── awaiting documents
        │                           │ ──request documents──────────────▲
        │ withdraw (the subject)    ├── complete ──▶ completed
        ▼                           └── reject ────▶ rejected (also from received / awaiting)
    withdrawn

Inside an open request: block / unblock, apply a correction, destroy the data, extend the term
once. Every transition is one transaction: the request row is locked, the effects are applied,
the history entry is written, and the letter to the subject is queued for after the commit.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.services import user_personal_data_correct
from consents.destruction import subject_personal_data_destroy
from consents.models import Action, SubjectRequest, SubjectRequestEvent
from consents.services import subject_request_letter_queue
from workcalendar.terms import Term, extended_due_date, moscow_date

__all__ = [
    "ACTION_LABELS",
    "Action",
    "TransitionNotAllowed",
    "available_actions",
    "subject_request_transition",
]

Status = SubjectRequest.Status
Kind = SubjectRequest.Kind

# What a button says: the action in the imperative.
ACTION_LABELS: dict[Action, str] = {
    Action.TAKE_INTO_WORK: _("Взять в работу"),
    Action.REQUEST_DOCUMENTS: _("Запросить документы"),
    Action.RECEIVE_DOCUMENTS: _("Документы представлены"),
    Action.APPLY_CORRECTION: _("Уточнить данные"),
    Action.BLOCK: _("Заблокировать данные"),
    Action.UNBLOCK: _("Снять блокирование"),
    Action.DESTROY: _("Уничтожить данные"),
    Action.EXTEND: _("Продлить срок на 5 рабочих дней"),
    Action.COMPLETE: _("Исполнить"),
    Action.REJECT: _("Отказать"),
    Action.WITHDRAW: _("Отозвать обращение"),
}

# The one action the subject takes; all others are staff's.
SUBJECT_ACTIONS = frozenset({Action.WITHDRAW})
STAFF_PERMISSION = "consents.change_subjectrequest"


class TransitionNotAllowed(Exception):
    """The action is not allowed now; `message` says why, in words for the person acting."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class _Move:
    from_statuses: frozenset[str]
    to_status: str | None  # None: the status stays


_OPEN = frozenset(SubjectRequest.OPEN_STATUSES)
_MOVES: dict[Action, _Move] = {
    Action.TAKE_INTO_WORK: _Move(frozenset({Status.RECEIVED}), Status.IN_WORK),
    Action.REQUEST_DOCUMENTS: _Move(frozenset({Status.IN_WORK}), Status.AWAITING_DOCUMENTS),
    Action.RECEIVE_DOCUMENTS: _Move(frozenset({Status.AWAITING_DOCUMENTS}), Status.IN_WORK),
    Action.APPLY_CORRECTION: _Move(frozenset({Status.IN_WORK}), None),
    Action.BLOCK: _Move(_OPEN, None),
    Action.UNBLOCK: _Move(_OPEN, None),
    Action.DESTROY: _Move(frozenset({Status.IN_WORK}), None),
    Action.EXTEND: _Move(_OPEN, None),
    Action.COMPLETE: _Move(frozenset({Status.IN_WORK}), Status.COMPLETED),
    Action.REJECT: _Move(_OPEN, Status.REJECTED),
    Action.WITHDRAW: _Move(frozenset({Status.RECEIVED}), Status.WITHDRAWN),
}


def _state_refusal(request: SubjectRequest, action: Action) -> str | None:
    """Why `action` cannot be taken on `request` in its present state; None if it can."""
    label = ACTION_LABELS[action]
    if not request.is_open:
        return str(
            _("Обращение № %(number)s закрыто (%(status)s): действия с ним невозможны.")
            % {"number": request.number, "status": request.get_status_display()}
        )
    if request.status not in _MOVES[action].from_statuses:
        if action == Action.WITHDRAW:
            return str(
                _(
                    "Обращение уже взято в работу, отозвать его нельзя. Если оно больше не нужно, "
                    "сообщите об этом оператору."
                )
            )
        return str(
            _("Действие «%(action)s» недоступно: обращение в состоянии «%(status)s».")
            % {"action": label, "status": request.get_status_display()}
        )
    return _rule_refusal(request, action)


def _rule_refusal(request: SubjectRequest, action: Action) -> str | None:
    """The rules beyond the status: what each kind of request allows."""
    match action:
        case Action.APPLY_CORRECTION:
            if request.kind not in (Kind.CORRECTION, Kind.BLOCKING):
                return str(_("Уточнять данные можно по обращению об уточнении или блокировании."))
            if request.documents_received_at is None:
                return str(
                    _(
                        "Данные уточняются после того, как заявитель представит документы "
                        "(раздел «Ваши права и сроки ответа» Политики): сначала запросите их "
                        "и отметьте получение."
                    )
                )
        case Action.BLOCK:
            if request.blocking_in_force:
                return str(_("Данные по этому обращению уже заблокированы."))
            if request.blocked_at is not None:
                return str(_("Блокирование по этому обращению уже было снято."))
        case Action.UNBLOCK:
            if not request.blocking_in_force:
                return str(_("Данные по этому обращению не заблокированы."))
        case Action.DESTROY:
            if request.destroyed_at is not None:
                return str(_("Данные по этому обращению уже уничтожены."))
            destroys = request.kind == Kind.WITHDRAWAL or (
                request.kind == Kind.BLOCKING and request.reason == SubjectRequest.Reason.UNLAWFUL
            )
            if not destroys:
                return str(
                    _("Уничтожить данные можно по отзыву согласия или при неправомерной обработке.")
                )
        case Action.EXTEND:
            if request.extended_on is not None:
                return str(_("Срок ответа уже продлевался; продлить его можно только один раз."))
            if request.term not in (Term.ANSWER, Term.STOP_PROCESSING):
                return str(
                    _(
                        "Продлить можно только срок ответа на запрос или требования прекратить "
                        "обработку (10 рабочих дней)."
                    )
                )
        case Action.COMPLETE:
            if request.blocking_in_force:
                return str(
                    _(
                        "Данные заблокированы: сначала снимите блокирование (после уточнения "
                        "данных или проверки) или уничтожьте данные."
                    )
                )
            if request.kind == Kind.CORRECTION and request.corrected_at is None:
                return str(_("Данные ещё не уточнены: уточните их или откажите."))
            if request.kind == Kind.WITHDRAWAL and request.destroyed_at is None:
                return str(_("Данные ещё не уничтожены: уничтожьте их или откажите."))
    return None


def available_actions(request: SubjectRequest, *, for_subject: bool = False) -> list[Action]:
    """The actions allowed on `request` now: staff's, or with `for_subject` the subject's."""
    wanted = SUBJECT_ACTIONS if for_subject else set(Action) - SUBJECT_ACTIONS
    return [a for a in Action if a in wanted and _state_refusal(request, a) is None]


def _actor_refusal(request: SubjectRequest, action: Action, actor: User) -> str | None:
    if action in SUBJECT_ACTIONS:
        if actor.pk not in (request.subject_id, request.filed_by_user_id):
            return str(_("Отозвать обращение может только заявитель."))
        return None
    if not (actor.is_active and actor.is_staff and actor.has_perm(STAFF_PERMISSION)):
        return str(_("Недостаточно прав для работы с обращениями по ПДн."))
    return None


def _end_blocking(request: SubjectRequest, now, data: dict) -> None:
    if request.blocking_in_force:
        request.unblocked_at = now
        data["unblocked"] = True


def _required_text(value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise TransitionNotAllowed(str(message))
    return value


# Each effect changes the locked request (and whatever else the action touches) and returns the
# history entry's data. They run inside the transition's transaction.
_Effect = Callable[..., dict]


def _take_into_work(request, *, actor, now, comment, assignee: User | None = None) -> dict:
    assignee = assignee or request.assignee or actor
    if not assignee.is_staff:
        raise TransitionNotAllowed(str(_("Исполнителем может быть только сотрудник.")))
    request.assignee = assignee
    return {"assignee": assignee.pk}


def _receive_documents(request, *, actor, now, comment) -> dict:
    request.documents_received_at = now
    data = {}
    if request.term == Term.CORRECTION:  # 7 working days from the documents, not the receipt
        data = {"due_on_before": request.due_on}
        request.due_on = request.term_due_on()
        data["due_on"] = request.due_on
    return data


def _apply_correction(request, *, actor, now, comment, changes: dict | None = None) -> dict:
    changes = changes or {c["field"]: c["requested"] for c in request.corrections}
    if not changes:
        raise TransitionNotAllowed(str(_("Укажите, какие данные и на что исправить.")))
    try:
        changed = user_personal_data_correct(
            user=request.subject, changes=changes, resolving_request=request
        )
    except ValidationError as error:
        raise TransitionNotAllowed(" ".join(error.messages)) from None
    if not changed:
        raise TransitionNotAllowed(str(_("Данные уже такие, как указано: исправлять нечего.")))
    request.corrected_at = now
    return {"changes": changed}


def _block(request, *, actor, now, comment) -> dict:
    request.blocked_at = now
    return {}


def _unblock(request, *, actor, now, comment) -> dict:
    request.unblocked_at = now
    return {}


def _destroy(request, *, actor, now, comment) -> dict:
    act = subject_personal_data_destroy(request=request, actor=actor, reason=comment)
    request.refresh_from_db()  # destruction rewrote the request's own texts
    request.destroyed_at = act.destroyed_at
    data = {"act": act.pk}
    _end_blocking(request, now, data)
    return data


def _extend(request, *, actor, now, comment) -> dict:
    data = {"due_on_before": request.due_on}
    request.due_on = extended_due_date(due_on=request.due_on)
    request.extended_on = moscow_date(now)
    request.extension_reason = comment
    data["due_on"] = request.due_on
    return data


def _close(request, *, now, answer: str, outcome: str) -> dict:
    request.answer = _required_text(answer, _("Напишите ответ заявителю."))
    request.completed_at = now
    request.outcome = outcome
    data: dict = {}
    _end_blocking(request, now, data)
    return data


def _complete(request, *, actor, now, comment, answer: str = "") -> dict:
    Outcome = SubjectRequest.Outcome
    if request.destroyed_at:
        outcome = Outcome.DESTROYED
    elif request.corrected_at:
        outcome = Outcome.CORRECTED
    elif request.unblocked_at:
        outcome = Outcome.UNBLOCKED
    else:
        outcome = Outcome.ANSWERED
    return _close(request, now=now, answer=answer, outcome=outcome)


def _reject(request, *, actor, now, comment, answer: str = "") -> dict:
    return _close(request, now=now, answer=answer, outcome=SubjectRequest.Outcome.REJECTED)


def _withdraw(request, *, actor, now, comment) -> dict:
    request.completed_at = now
    request.outcome = SubjectRequest.Outcome.WITHDRAWN
    data: dict = {}
    _end_blocking(request, now, data)
    return data


def _no_effect(request, *, actor, now, comment) -> dict:
    return {}


_EFFECTS: dict[Action, _Effect] = {
    Action.TAKE_INTO_WORK: _take_into_work,
    Action.REQUEST_DOCUMENTS: _no_effect,
    Action.RECEIVE_DOCUMENTS: _receive_documents,
    Action.APPLY_CORRECTION: _apply_correction,
    Action.BLOCK: _block,
    Action.UNBLOCK: _unblock,
    Action.DESTROY: _destroy,
    Action.EXTEND: _extend,
    Action.COMPLETE: _complete,
    Action.REJECT: _reject,
    Action.WITHDRAW: _withdraw,
}


@transaction.atomic
def subject_request_transition(
    *, request: SubjectRequest, action: Action, actor: User, comment: str, **data
) -> SubjectRequest:
    """Take `action` on `request` as `actor`; returns the request as it now is.

    Raises `TransitionNotAllowed` (nothing changed) when the action is not allowed now, the
    actor may not take it, or a staff action comes without a comment. Data per action:
    `assignee` (take into work; the actor by default), `changes` ({field: new value}; apply
    correction, by default the values the subject asked for), `answer` (complete, reject).
    The extension's reason is its comment.
    """
    action = Action(action)
    locked = SubjectRequest.objects.select_for_update().select_related("subject").get(pk=request.pk)
    refusal = _actor_refusal(locked, action, actor) or _state_refusal(locked, action)
    if refusal:
        raise TransitionNotAllowed(refusal)
    comment = (comment or "").strip()
    if action not in SUBJECT_ACTIONS:
        _required_text(comment, _("Напишите комментарий: что сделано и на каком основании."))
    subject_email = locked.subject.email  # the destruction notice still needs the address
    from_status = locked.status
    now = timezone.now()
    event_data = _EFFECTS[action](locked, actor=actor, now=now, comment=comment, **data)
    locked.status = _MOVES[action].to_status or locked.status
    locked.save()
    event = SubjectRequestEvent.objects.create(
        request=locked,
        at=now,
        actor=actor,
        from_status=from_status,
        to_status=locked.status,
        action=action,
        comment=comment,
        data=event_data,
    )
    subject_request_letter_queue(event=event, to=subject_email if action == Action.DESTROY else "")
    return locked
