"""What the staff desk holds about a person: the journal of staff access to their data (see
`lkk.personal_data`). It is not `staff/personal_data.py`, which holds the masking rules."""

from django.utils import timezone

from lkk import personal_data as pd
from staff.models import PersonalDataAccess


def _export(user) -> list[pd.Row]:
    """Which kinds of access happened and when; the staff members' names are not the person's
    data and stay out."""
    return [
        {"Когда": timezone.localtime(entry.at), "Действие": entry.get_action_display()}
        for entry in PersonalDataAccess.objects.filter(subject=user).order_by("at", "pk")
    ]


def _erase(erasure: pd.Erasure) -> pd.Counts:
    """The journal names the person only by the account's number: nothing to destroy."""
    return {}


pd.register(
    pd.Category(
        key="staff.access_journal",
        title="Журнал доступа работников к вашим данным",
        data=("время и вид доступа работника к данным (без самих данных)",),
        purpose="контроль доступа к персональным данным (ст. 19 152-ФЗ)",
        legal_basis=pd.Basis.LAW,
        source=pd.Source.PORTAL,
        retention=pd.Retention(description="пять лет; записи не изменяются и не удаляются"),
        models=("staff.PersonalDataAccess",),
        export=_export,
        erase=_erase,
    ),
)
