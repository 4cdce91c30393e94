"""The state machine of PD subject requests: the one place saying which action is allowed when,
who may take it and what it does.

    received ──take into work──▶ in work ◀──documents received── awaiting documents
        │                           │ ──request documents──────────────▲
        │ withdraw (the subject)    ├── complete ──▶ completed
        ▼                           └── reject ────▶ rejected (also from received / awaiting)
    withdrawn

Inside an open request: block / unblock, record that unlawful processing has stopped (the due
date moves to the destruction term), apply a correction, destroy the data, extend the term once.
A request of a person without a portal account (registered by staff from a paper or an email)
goes the same way, but there is no account to correct or destroy, and its letters are sent by
staff. Every transition is one transaction: the request row is locked, the effects are applied,
the history entry is written, and the letter to the subject is queued for after the commit.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.services import user_personal_data_correct
from lkk.letters import letters_release
from lkk.person_cache import Shown, person_changed
from pdrequests.destruction import subject_personal_data_destroy
from pdrequests.models import Action, SubjectRequest, SubjectRequestEvent
from pdrequests.services import subject_request_letter_queue
from workcalendar.terms import Term, extended_due_date, moscow_date

__all__ = [
    "STEPS",
    "Action",
    "TransitionNotAllowed",
    "available_actions",
    "subject_request_transition",
]

Status = SubjectRequest.Status
Kind = SubjectRequest.Kind

# The one action the subject takes; all others are staff's.
SUBJECT_ACTIONS = frozenset({Action.WITHDRAW})
STAFF_PERMISSION = "pdrequests.change_subjectrequest"


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


def _state_refusal(request: SubjectRequest, action: Action) -> str | None:
    """Why `action` cannot be taken on `request` in its present state; None if it can."""
    label = STEPS[action].button
    if not request.is_open:
        return str(
            _("Обращение № %(number)s закрыто (%(status)s): действия с ним невозможны.")
            % {"number": request.number, "status": request.get_status_display()}
        )
    if request.status not in STEPS[action].move.from_statuses:
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
    if action in (Action.APPLY_CORRECTION, Action.DESTROY) and request.subject_id is None:
        return str(
            _(
                "У субъекта нет учётной записи в личном кабинете: его данных в ней нет. "
                "Ответьте заявителю, что сделано."
            )
        )
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
        case Action.STOP_UNLAWFUL:
            if not (
                request.kind == Kind.BLOCKING and request.reason == SubjectRequest.Reason.UNLAWFUL
            ):
                return str(_("Отмечается только по обращению о неправомерной обработке."))
            if request.processing_stopped_at is not None:
                return str(_("Прекращение неправомерной обработки уже отмечено."))
            if request.destroyed_at is not None:
                return str(_("Данные по этому обращению уже уничтожены."))
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
            if request.kind == Kind.CORRECTION and request.corrected_at is None:
                return str(_("Данные ещё не уточнены: уточните их или откажите."))
            if request.blocking_in_force:
                return str(
                    _(
                        "Данные заблокированы: сначала снимите блокирование (после уточнения "
                        "данных или проверки) или уничтожьте данные."
                    )
                )
            destroyable = request.subject_id is not None
            if request.kind == Kind.WITHDRAWAL and destroyable and request.destroyed_at is None:
                return str(_("Данные ещё не уничтожены: уничтожьте их или откажите."))
    return None


def available_actions(request: SubjectRequest, *, for_subject: bool = False) -> list[Action]:
    """The actions allowed on `request` now: staff's, or with `for_subject` the subject's."""
    wanted = SUBJECT_ACTIONS if for_subject else set(Action) - SUBJECT_ACTIONS
    return [a for a in Action if a in wanted and _state_refusal(request, a) is None]


def _actor_refusal(request: SubjectRequest, action: Action, actor: User) -> str | None:
    if action in SUBJECT_ACTIONS:
        if request.subject_id is None or actor.pk not in (
            request.subject_id,
            request.filed_by_user_id,
        ):
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
    data = {"changes": changed}
    _end_blocking(request, now, data)  # corrected: nothing left to check (art. 21 p. 2)
    return data


def _block(request, *, actor, now, comment) -> dict:
    request.blocked_at = now
    return {}


def _unblock(request, *, actor, now, comment) -> dict:
    request.unblocked_at = now
    return {}


def _stop_unlawful(request, *, actor, now, comment) -> dict:
    """The 3-day stop is done: from now the 10-day destruction term is what falls due."""
    request.processing_stopped_at = now
    data = {"due_on_before": request.due_on}
    request.due_on = request.term_due_on()
    data["due_on"] = request.due_on
    return data


def _destroy(request, *, actor, now, comment, position: str = "") -> dict:
    act = subject_personal_data_destroy(
        request=request, actor=actor, reason=comment, position=position
    )
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


@dataclass(frozen=True)
class Step:
    """Everything about one action, declared once: what its button says (its past tense, for
    the history and the letters, is `Action`'s label), from which states it moves to which,
    what it does, what its comment is called, and what else the person taking it gives:
    `assignee` (a member of staff), `changes` (the corrected data), `answer` (to the applicant)
    or `position` (the performer's position for the destruction act, with a tick: a knowing
    consent to an irreversible step)."""

    button: str
    move: _Move
    effect: _Effect
    comment_label: str | None = None  # None: «Комментарий»
    asks: str | None = None


STEPS: dict[Action, Step] = {
    Action.TAKE_INTO_WORK: Step(
        _("Взять в работу"),
        _Move(frozenset({Status.RECEIVED}), Status.IN_WORK),
        _take_into_work,
        asks="assignee",
    ),
    Action.REQUEST_DOCUMENTS: Step(
        _("Запросить документы"),
        _Move(frozenset({Status.IN_WORK}), Status.AWAITING_DOCUMENTS),
        _no_effect,
    ),
    Action.RECEIVE_DOCUMENTS: Step(
        _("Документы представлены"),
        _Move(frozenset({Status.AWAITING_DOCUMENTS}), Status.IN_WORK),
        _receive_documents,
    ),
    Action.APPLY_CORRECTION: Step(
        _("Уточнить данные"),
        _Move(frozenset({Status.IN_WORK}), None),
        _apply_correction,
        asks="changes",
    ),
    Action.BLOCK: Step(_("Заблокировать данные"), _Move(_OPEN, None), _block),
    Action.STOP_UNLAWFUL: Step(
        _("Неправомерная обработка прекращена"),
        _Move(frozenset({Status.IN_WORK}), None),
        _stop_unlawful,
    ),
    Action.UNBLOCK: Step(_("Снять блокирование"), _Move(_OPEN, None), _unblock),
    Action.DESTROY: Step(
        _("Уничтожить данные"),
        _Move(frozenset({Status.IN_WORK}), None),
        _destroy,
        comment_label=_("Основание уничтожения"),
        asks="position",
    ),
    Action.EXTEND: Step(
        _("Продлить срок на 5 рабочих дней"),
        _Move(_OPEN, None),
        _extend,
        comment_label=_("Причина продления (её сообщат заявителю)"),
    ),
    Action.COMPLETE: Step(
        _("Исполнить"),
        _Move(frozenset({Status.IN_WORK}), Status.COMPLETED),
        _complete,
        asks="answer",
    ),
    Action.REJECT: Step(_("Отказать"), _Move(_OPEN, Status.REJECTED), _reject, asks="answer"),
    Action.WITHDRAW: Step(
        _("Отозвать обращение"),
        _Move(frozenset({Status.RECEIVED}), Status.WITHDRAWN),
        _withdraw,
    ),
}


@transaction.atomic
def subject_request_transition(
    *, request: SubjectRequest, action: Action, actor: User, comment: str, **data
) -> SubjectRequest:
    """Take `action` on `request` as `actor`; returns the request as it now is.

    Raises `TransitionNotAllowed` (nothing changed) when the action is not allowed now, the
    actor may not take it, or a staff action comes without a comment. Data per action:
    `assignee` (take into work; the actor by default), `changes` ({field: new value}; apply
    correction, by default the values the subject asked for), `position` (destroy: the
    performer's position, for the act), `answer` (complete, reject).
    The extension's reason is its comment.
    """
    action = Action(action)
    locked = (
        SubjectRequest.objects.select_for_update(of=("self",))
        .select_related("subject")
        .get(pk=request.pk)
    )
    refusal = _actor_refusal(locked, action, actor) or _state_refusal(locked, action)
    if refusal:
        raise TransitionNotAllowed(refusal)
    comment = (comment or "").strip()
    if action not in SUBJECT_ACTIONS:
        _required_text(comment, _("Напишите комментарий: что сделано и на каком основании."))
    # The destruction notice still needs the address.
    subject_email = locked.subject.email if locked.subject else ""
    was_blocking = locked.blocking_in_force
    from_status = locked.status
    now = timezone.now()
    event_data = STEPS[action].effect(locked, actor=actor, now=now, comment=comment, **data)
    locked.status = STEPS[action].move.to_status or locked.status
    locked.save()
    person_changed(Shown.PD_BLOCKING, [locked.subject_id])  # blocked, unblocked or neither
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
    if was_blocking and not locked.blocking_in_force:
        # The letters held while the data were blocked go now (unless another request blocks).
        transaction.on_commit(partial(letters_release, recipient_id=locked.subject_id))
    return locked
