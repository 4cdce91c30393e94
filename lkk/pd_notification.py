"""What the notification to Roskomnadzor about the processing of personal data (152-FZ art. 22
p. 3) must state, gathered from the registry (`lkk.personal_data`) and the settings, and what of
it has changed since the notification was last filed.

The operator must tell Roskomnadzor of changes to these statements within ten working days of
the month in which they happened (art. 22 p. 7): a filing is recorded with a snapshot of the
statements as filed (`lkk.models.NotificationFiling`), and `changes_since(snapshot)` lists what
the registry says differently today — a new category an app declared, a changed retention period.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from lkk import personal_data
from lkk.models import NotificationFiling

# The registry's statements per category (`personal_data.describe`) as the notification names them.
CATEGORY_FIELDS: dict[str, str] = {
    "title": "категория персональных данных",
    "data": "перечень персональных данных",
    "purpose": "цель обработки",
    "legal_basis": "правовое основание",
    "source": "источник получения",
    "retention": "срок или условие прекращения обработки",
    "system": "информационная система",
    "recipients": "получатели",
}
OPERATOR_FIELDS: dict[str, str] = {
    "name": "наименование оператора",
    "address": "адрес оператора",
    "inn": "ИНН",
    "ogrn": "ОГРН",
    "dpo": "ответственный за организацию обработки персональных данных",
}
GENERAL_FIELDS: dict[str, str] = {
    "subjects": "категории субъектов персональных данных",
    "systems": "информационные системы",
    "database_location": "место нахождения базы данных",
    "processors": "лица, обрабатывающие данные по поручению оператора",
    "transborder_transfer": "трансграничная передача",
}

CONSUMERS = (
    "потребители — пользователи личного кабинета, их законные представители и лица, "
    "обратившиеся к оператору"
)
EMPLOYEES = "работники оператора, работающие в личном кабинете"


def notification_details() -> dict[str, Any]:
    """The statements of the notification as the registry and the settings give them now.

    Plain strings and lists only: a filing stores this as its snapshot."""
    categories = personal_data.categories()
    systems: list[str] = []
    for category in categories:
        if str(category.system) not in systems:
            systems.append(str(category.system))
    subjects = [CONSUMERS] + ([EMPLOYEES] if personal_data.staff_record_models() else [])
    return {
        "operator": {key: str(settings.OPERATOR.get(key, "")) for key in OPERATOR_FIELDS},
        "subjects": subjects,
        "categories": [personal_data.describe(category) for category in categories],
        "systems": systems,
        "database_location": settings.PD_DATABASE_LOCATION,
        "processors": list(personal_data.PROCESSORS),
        "transborder_transfer": personal_data.NO_TRANSBORDER,
    }


@dataclass(frozen=True)
class Change:
    """One statement that differs from the filed notification."""

    section: str  # «Оператор», «Общие сведения» or the category's title
    field: str  # what the notification calls it
    before: str  # «—» when it was not in the filing
    after: str  # «—» when it is gone


def _text(value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(str(item) for item in value) or "—"
    return str(value) if value not in (None, "") else "—"


def _field_changes(
    section: str, labels: dict[str, str], before: dict[str, Any], after: dict[str, Any]
) -> list[Change]:
    return [
        Change(section, label, _text(before.get(key)), _text(after.get(key)))
        for key, label in labels.items()
        if before.get(key) != after.get(key)
    ]


def changes_since(snapshot: dict[str, Any], current: dict[str, Any] | None = None) -> list[Change]:
    """What `current` (the statements now, by default) states differently from `snapshot`."""
    current = current if current is not None else notification_details()
    changes = _field_changes(
        "Оператор", OPERATOR_FIELDS, snapshot.get("operator", {}), current["operator"]
    )
    changes += _field_changes("Общие сведения", GENERAL_FIELDS, snapshot, current)
    filed = {category["key"]: category for category in snapshot.get("categories", [])}
    now = {category["key"]: category for category in current["categories"]}
    for key, category in now.items():
        if key not in filed:
            changes.append(Change(category["title"], "категория добавлена", "—", category["title"]))
        else:
            changes += _field_changes(category["title"], CATEGORY_FIELDS, filed[key], category)
    for key, category in filed.items():
        if key not in now:
            changes.append(
                Change(
                    category["title"], "категория больше не обрабатывается", category["title"], "—"
                )
            )
    return changes


def notification_filing_record(
    *, filed_on: datetime.date, reference: str, recorded_by: Any
) -> NotificationFiling:
    """Record that the notification (or a change to it) was filed on `filed_on`, stating what
    the registry says today."""
    return NotificationFiling.objects.create(
        filed_on=filed_on,
        reference=reference,
        snapshot=notification_details(),
        recorded_by=recorded_by,
    )
