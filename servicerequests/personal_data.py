"""What the service requests hold about a person (see `lkk.personal_data`): their requests with
the fields they filled in, the answers, the history and the files they attached.

A destruction deletes the requests whole, with their history, ratings and files (the files
leave the disk once the deletion commits); so does retention, past SERVICE_REQUEST_RETENTION_DAYS
after a request was answered or closed.
"""

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from cases.models import OPEN_STATUSES
from cases.personal_data import case_history_erase, case_history_export
from lkk import personal_data as pd
from servicerequests.models import Attachment, ServiceRequest

BATCH_SIZE = 500


def _moment(value: datetime.datetime | None) -> datetime.datetime | None:
    return timezone.localtime(value) if value else None


def _date(value: datetime.date | None) -> str:
    return f"{value:%d.%m.%Y}" if value else ""


def _export(user: Any) -> list[pd.Row]:
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
            "Номер": request.number,
            "Вид": request.kind.title,
            "Состояние": request.get_status_display(),
            "Подана": _moment(request.received_at),
            "Лицевой счёт": request.account.number if request.account is not None else "",
            "Счётчик": request.meter.serial_number if request.meter is not None else "",
            "Удобные даты визита": (
                f"{_date(request.visit_from)}–{_date(request.visit_to)}"
                if request.visit_from or request.visit_to
                else ""
            ),
            "Контактный телефон": request.contact_phone,
            "Месяцы": ", ".join(f"{month:%m.%Y}" for month in request.months),
            "Заявитель": request.claimant_name,
            "Адрес объекта": request.address,
            "Нарушение": (
                f"с {_moment(request.violation_started_at):%d.%m.%Y %H:%M}"
                if request.violation_started_at
                else ""
            )
            + (
                f" по {_moment(request.violation_ended_at):%d.%m.%Y %H:%M}"
                if request.violation_ended_at
                else ""
            ),
            "Текст": request.text,
            "Ответ": request.answer_text,
            "Файлы": "; ".join(
                f"{item.original_name} ({item.get_content_type_display()}, {item.size} байт)"
                for item in request.attachments.all()
            ),
            "История": "\n".join(history.get(request.pk, [])),
        }
        for request in requests
    ]


def _identifiers(user: Any) -> list[str]:
    """The names and phones the person gave in their requests, to find them in other records."""
    rows = ServiceRequest.objects.filter(user=user).values_list("claimant_name", "contact_phone")
    return [value for row in rows for value in row if value]


def _destroy(requests: "QuerySet[ServiceRequest]") -> int:
    """Delete `requests` with their history, files and ratings (CASCADE) in the caller's
    transaction; the stored files are removed once it commits. Returns how many requests."""
    ids = list(requests.values_list("pk", flat=True))
    if not ids:
        return 0
    attachments = Attachment.objects.filter(request_id__in=ids)
    files = list(attachments.values_list("file", flat=True))
    case_history_erase(ServiceRequest, ids)
    attachments.delete()
    ServiceRequest.objects.filter(pk__in=ids).delete()

    def remove_files() -> None:
        storage = Attachment._meta.get_field("file").storage
        for name in files:
            storage.delete(name)

    transaction.on_commit(remove_files)
    return len(ids)


def _erase(erasure: pd.Erasure) -> pd.Counts:
    with transaction.atomic():
        count = _destroy(ServiceRequest.objects.filter(user=erasure.user))
    return {"заявки с историей и приложенными файлами (удалены)": count}


def _expire(now: datetime.datetime, dry_run: bool) -> pd.Counts:
    """Requests answered, closed or withdrawn before the period go, a batch per transaction."""
    before = pd.older_than(now, "SERVICE_REQUEST_RETENTION_DAYS")
    old = ServiceRequest.objects.exclude(status__in=OPEN_STATUSES).filter(
        Q(answered_at__lt=before) | Q(closed_at__lt=before)
    )
    if dry_run:
        return {"заявки с историей и файлами (удалены)": old.count()}
    deleted = 0
    while ids := list(old.values_list("pk", flat=True)[:BATCH_SIZE]):
        with transaction.atomic():
            deleted += _destroy(ServiceRequest.objects.filter(pk__in=ids))
    return {"заявки с историей и файлами (удалены)": deleted}


pd.register(
    pd.Category(
        key="servicerequests.requests",
        title="Заявки и приложенные к ним файлы",
        data=(
            "вид заявки, лицевой счёт и прибор учёта",
            "удобные даты визита и контактный телефон",
            "фамилия, имя, отчество заявителя и адрес объекта",
            "месяцы перерасчёта, время нарушения электроснабжения, текст заявки",
            "фотографии и документы, приложенные к заявке",
            "ответ и время визита специалиста",
        ),
        purpose="выполнение заявок по договору энергоснабжения: замена и поверка приборов "
        "учёта, контрольное снятие показаний, перерасчёт, претензии к качеству электроснабжения",
        legal_basis=pd.Basis.CONTRACT,
        source=pd.Source.PERSON,
        retention=pd.Retention(
            "SERVICE_REQUEST_RETENTION_DAYS",
            1095,
            "после ответа, закрытия или отзыва заявки (срок исковой давности)",
        ),
        models=("servicerequests.ServiceRequest", "servicerequests.Attachment"),
        export=_export,
        erase=_erase,
        expire=_expire,
        identifiers=_identifiers,
    )
)
