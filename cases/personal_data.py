"""A case's history holds a person's words (their comments): it goes with their cases when
their data is destroyed. The history is append-only for everything else."""

import pgtrigger
from django.db import models

from cases.models import CaseEvent

HISTORY_DELETE_TRIGGER = "cases.CaseEvent:cases_event_no_delete"


def case_history_export(model: type[models.Model], case_ids) -> dict[int, list[dict]]:
    """The steps of these cases, per case id, as plain data: one query."""
    steps: dict[int, list[dict]] = {}
    for event in CaseEvent.objects.of_many(model, case_ids).order_by("at", "pk"):
        steps.setdefault(event.case_id, []).append(
            {
                "at": event.at.isoformat(),
                "action": event.get_action_display(),
                "status": event.to_status,
                "comment": event.comment,
            }
        )
    return steps


def case_history_erase(model: type[models.Model], case_ids) -> int:
    """Delete the history of these cases (their destruction); returns how many rows."""
    with pgtrigger.ignore(HISTORY_DELETE_TRIGGER):
        deleted, _by_model = CaseEvent.objects.of_many(model, case_ids).delete()
    return deleted
