"""The daily reminders of cases due soon or overdue: who gets which cases, the once-a-day mark,
and the reminder of feedback messages and service requests built of them. The PD subject
requests' reminder (`pdrequests.services.due_requests_remind`) is built of the same parts."""

import datetime
from collections.abc import Callable, Collection, Iterable
from functools import partial

from django.db import models, transaction
from django.db.models import Q

from accounts.models import User
from cases import tasks
from cases.models import CaseReminder, soon_limit
from cases.registry import CASE_MODELS

# The mark of the reminder of feedback messages and service requests (see `CaseReminder`).
CASES_LETTER = "cases"


def model_label(model) -> str:
    return model._meta.label_lower


def case_handlers(model: type[models.Model]) -> list[int]:
    """The members of staff who may handle cases of `model` (change them): one query."""
    return list(
        User.objects.filter(is_active=True, is_staff=True)
        .filter(
            Q(is_superuser=True)
            | Q(user_permissions__codename=f"change_{model._meta.model_name}")
            | Q(groups__permissions__codename=f"change_{model._meta.model_name}")
        )
        .distinct()
        .values_list("pk", flat=True)
    )


def due_recipients[Key](
    due: Iterable[tuple[Key, int | None]],
    *,
    handlers: Collection[int] = (),
    overseers: Collection[int] = (),
) -> dict[int, list[Key]]:
    """Who is reminded of which of the `due` cases (key, assignee id), in their order: each
    assignee of their own; a case nobody has taken, every one of `handlers`; every case, each of
    `overseers` (who answer for all of them, as PD officers do)."""
    by_recipient: dict[int, list[Key]] = {}
    for key, assignee_id in due:
        recipients = dict.fromkeys([assignee_id] if assignee_id else handlers)
        recipients.update(dict.fromkeys(overseers))
        for recipient_id in recipients:
            by_recipient.setdefault(recipient_id, []).append(key)
    return by_recipient


def due_letters_queue[Key](
    *,
    letter: str,
    today: datetime.date,
    by_recipient: dict[int, list[Key]],
    enqueue: Callable[[int, list[Key]], object],
) -> int:
    """Queue, once the transaction commits, `enqueue(recipient_id, keys)` for each recipient
    not yet sent today's `letter`, and mark it sent (`CaseReminder`: a second run the same day,
    a retried cron job, sends nothing more). Returns how many letters were queued."""
    queued = 0
    for recipient_id, keys in by_recipient.items():
        # Staff are few: one row each, and the unique constraint settles concurrent runs.
        _reminder, created = CaseReminder.objects.get_or_create(
            recipient_id=recipient_id, day=today, letter=letter
        )
        if created:
            transaction.on_commit(partial(enqueue, recipient_id, keys))
            queued += 1
    return queued


def _due_cases_letter_enqueue(recipient_id: int, case_ids: list[list]) -> None:
    tasks.due_cases_letter_send.enqueue(recipient_id=recipient_id, case_ids=case_ids)


@transaction.atomic
def due_cases_remind(*, today: datetime.date) -> int:
    """Queue one letter per member of staff about the open cases overdue or due within two
    working days: to each assignee their own; cases nobody has taken, to everyone who may
    handle that kind of case. Once a day per person. Returns how many letters were queued.

    One query per case model and one per model's handlers, whatever the number of cases.
    """
    soon = soon_limit(today)
    by_recipient: dict[int, list[list]] = {}  # [model label, id] pairs: JSON for the task
    for model in CASE_MODELS:
        label = model_label(model)
        due = [
            ([label, pk], assignee_id)
            for pk, assignee_id in model.objects.open()  # type: ignore[attr-defined]
            .filter(due_on__lte=soon)
            .order_by("due_on", "pk")
            .values_list("pk", "assignee_id")
        ]
        nobody_took = any(assignee_id is None for _key, assignee_id in due)
        handlers = case_handlers(model) if nobody_took else []
        for recipient_id, keys in due_recipients(due, handlers=handlers).items():
            by_recipient.setdefault(recipient_id, []).extend(keys)
    return due_letters_queue(
        letter=CASES_LETTER,
        today=today,
        by_recipient=by_recipient,
        enqueue=_due_cases_letter_enqueue,
    )
