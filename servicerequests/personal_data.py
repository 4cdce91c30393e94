"""What the service requests hold about a person, for the personal-data registry: the export
of it, and its destruction with the rest of their data (files included).

`export_for(user)` and `erase_for(user)` are this app's entries for the registry the PD
subject-requests desk loops over.
"""

from django.db import transaction

from cases.personal_data import case_history_erase, case_history_export
from servicerequests.models import Attachment, ServiceRequest

CATEGORY = "Заявки (замена и поверка счётчиков, перерасчёт, претензии) и приложенные файлы"


def export_for(user) -> list[dict]:
    """The person's requests with their fields, files (names), answers and history: three
    queries whatever their number."""
    requests = list(
        ServiceRequest.objects.filter(user=user)
        .select_related("kind", "meter", "account")
        .prefetch_related("attachments")
        .order_by("received_at", "pk")
    )
    history = case_history_export(ServiceRequest, [request.pk for request in requests])
    return [
        {
            "number": request.number,
            "kind": request.kind.title,
            "status": request.get_status_display(),
            "received_at": request.received_at.isoformat(),
            "account": request.account.number if request.account_id else "",
            "meter": request.meter.serial_number if request.meter_id else "",
            "visit_from": request.visit_from.isoformat() if request.visit_from else "",
            "visit_to": request.visit_to.isoformat() if request.visit_to else "",
            "contact_phone": request.contact_phone,
            "months": [month.isoformat() for month in request.months],
            "claimant_name": request.claimant_name,
            "address": request.address,
            "violation_started_at": (
                request.violation_started_at.isoformat() if request.violation_started_at else ""
            ),
            "violation_ended_at": (
                request.violation_ended_at.isoformat() if request.violation_ended_at else ""
            ),
            "text": request.text,
            "answer": request.answer_text,
            "files": [
                {"name": item.original_name, "type": item.content_type, "size": item.size}
                for item in request.attachments.all()
            ],
            "history": history.get(request.pk, []),
        }
        for request in requests
    ]


@transaction.atomic
def erase_for(user) -> int:
    """Destroy the person's requests, their history, ratings and files; returns how many
    requests. The stored files are removed once the deletion commits."""
    requests = ServiceRequest.objects.filter(user=user)
    ids = list(requests.values_list("pk", flat=True))
    if not ids:
        return 0
    files = list(Attachment.objects.filter(request_id__in=ids).values_list("file", flat=True))
    case_history_erase(ServiceRequest, ids)
    Attachment.objects.filter(request_id__in=ids).delete()
    requests.delete()  # ratings of them go too (CASCADE)

    def remove_files() -> None:
        storage = Attachment._meta.get_field("file").storage
        for name in files:
            storage.delete(name)

    transaction.on_commit(remove_files)
    return len(ids)
