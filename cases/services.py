"""The daily reminder of cases due soon or overdue, for every registered case model."""

import datetime
from functools import partial

from django.db import transaction
from django.db.models import Q

from accounts.models import User
from cases import tasks
from cases.models import CaseReminder
from cases.registry import CASE_MODELS
from workcalendar.terms import add_working_days

# A case whose term ends within this many working days is «due soon».
SOON_WORKING_DAYS = 2


def model_label(model) -> str:
    return model._meta.label_lower


@transaction.atomic
def due_cases_remind(*, today: datetime.date) -> int:
    """Queue one letter per member of staff about the open cases overdue or due within two
    working days: to each assignee their own; cases nobody has taken, to everyone who may
    handle that kind of case. Once a day per person. Returns how many letters were queued.

    One query per case model and one per model's handlers, whatever the number of cases.
    """
    soon = add_working_days(start=today, days=SOON_WORKING_DAYS)
    by_recipient: dict[int, list[tuple[str, int]]] = {}
    for model in CASE_MODELS:
        label = model_label(model)
        rows = list(
            model.objects.open()  # type: ignore[attr-defined]
            .filter(due_on__lte=soon)
            .order_by("due_on", "pk")
            .values_list("pk", "assignee_id")
        )
        if any(assignee_id is None for _pk, assignee_id in rows):
            handlers = list(
                User.objects.filter(is_active=True, is_staff=True)
                .filter(
                    Q(is_superuser=True)
                    | Q(user_permissions__codename=f"change_{model._meta.model_name}")
                    | Q(groups__permissions__codename=f"change_{model._meta.model_name}")
                )
                .distinct()
                .values_list("pk", flat=True)
            )
        else:
            handlers = []
        for pk, assignee_id in rows:
            for recipient_id in [assignee_id] if assignee_id else handlers:
                by_recipient.setdefault(recipient_id, []).append((label, pk))

    queued = 0
    for recipient_id, cases in by_recipient.items():
        _reminder, created = CaseReminder.objects.get_or_create(
            recipient_id=recipient_id, day=today
        )
        if created:
            transaction.on_commit(
                partial(
                    tasks.due_cases_letter_send.enqueue,
                    recipient_id=recipient_id,
                    case_ids=[[label, pk] for label, pk in cases],
                )
            )
            queued += 1
    return queued
