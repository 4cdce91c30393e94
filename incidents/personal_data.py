"""What the incidents app holds about a person: the notices they got about incidents with their
data, and mentions of them in the register of incidents (see `lkk.personal_data`)."""

import operator
from functools import reduce

from django.db.models import Q
from django.utils import timezone

from incidents.models import Incident, IncidentNotification
from lkk import personal_data as pd

# Free texts of the register where staff may have named or listed a person.
_TEXT_FIELDS = (
    "subject_list",
    "description",
    "causes",
    "harm",
    "measures",
    "investigation_results",
    "notice_text",
)


def _moment(value):
    return timezone.localtime(value) if value else None


def _export(user) -> list[pd.Row]:
    notices = (
        IncidentNotification.objects.filter(user=user)
        .select_related("incident")
        .order_by("created_at", "pk")
    )
    return [
        {
            "Инцидент": notice.incident.title,
            "Обнаружен": _moment(notice.incident.detected_at),
            "Сообщение": notice.incident.notice_text,
            "Уведомлены в кабинете": _moment(notice.created_at),
            "Письмо отправлено": _moment(notice.emailed_at),
            "Прочитано": _moment(notice.read_at),
        }
        for notice in notices
    ]


def _erase(erasure: pd.Erasure) -> pd.Counts:
    """The notices stay, tied to the pseudonymous account; the register's texts lose every
    mention of the person, whichever of their addresses or names was used."""
    if not erasure.identifiers:
        return {}
    mentions = reduce(
        operator.or_,
        (
            Q(**{f"{name}__icontains": value})
            for value in erasure.identifiers
            for name in _TEXT_FIELDS
        ),
    )
    incidents = list(Incident.objects.filter(mentions))
    for incident in incidents:
        for name in _TEXT_FIELDS:
            setattr(incident, name, erasure.scrub_text(getattr(incident, name)))
    Incident.objects.bulk_update(incidents, list(_TEXT_FIELDS))
    return {"упоминания в реестре инцидентов (обезличены)": len(incidents)}


pd.register(
    pd.Category(
        key="incidents.notices",
        title="Уведомления об инцидентах с персональными данными",
        data=("инцидент, затронувший ваши данные", "время уведомления и прочтения"),
        purpose="уведомление субъектов об инцидентах (ст. 21 ч. 3.1 152-ФЗ)",
        legal_basis=pd.Basis.LAW,
        source=pd.Source.STAFF,
        retention=pd.Retention(description="вместе с реестром инцидентов"),
        models=("incidents.IncidentNotification", "incidents.Incident"),
        export=_export,
        erase=_erase,
    ),
)
# Who changed an incident's terms: staff members only (the register names no consumer there).
pd.register_staff_records("incidents.IncidentClockChange")
