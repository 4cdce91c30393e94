"""The journal of PD requests for an inspector (Roskomnadzor): every request received in a
period, what was asked, when it was due and what came of it.

No personal data beyond what the journal needs: the subject is a pseudonymous reference, the
applicant a category; names, addresses, texts and answers stay in the system.
"""

import datetime
import tempfile
from collections.abc import Iterator

from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from lkk.spreadsheets import SafeCsvWriter, xlsx_cell, xlsx_row
from pdrequests.destruction import subject_reference
from pdrequests.models import SubjectRequest

HEADER = (
    "Номер",
    "Вид обращения",
    "Кто подал",
    "Субъект (псевдоним)",
    "Получено",
    "Срок исполнения",
    "Срок продлён",
    "Закрыто",
    "Состояние",
    "Результат",
)
COLUMNS = (
    "number",
    "kind",
    "filed_by",
    "subject_id",
    "received_at",
    "due_on",
    "extended_on",
    "completed_at",
    "status",
    "outcome",
)
CHUNK = 2000
WITHOUT_ACCOUNT = "без учётной записи"

_LABELS = {
    "kind": dict(SubjectRequest.Kind.choices),
    "filed_by": dict(SubjectRequest.FiledBy.choices),
    "status": dict(SubjectRequest.Status.choices),
    "outcome": dict(SubjectRequest.Outcome.choices),
}

Row = tuple[str | datetime.date | datetime.datetime | None, ...]


def journal_requests(
    *, received_from: datetime.date, received_to: datetime.date
) -> QuerySet[SubjectRequest]:
    """Requests received from the first Moscow date to the last, inclusive, oldest first."""
    start = timezone.make_aware(datetime.datetime.combine(received_from, datetime.time.min))
    end = timezone.make_aware(
        datetime.datetime.combine(received_to + datetime.timedelta(days=1), datetime.time.min)
    )
    return SubjectRequest.objects.filter(received_at__gte=start, received_at__lt=end).order_by(
        "received_at", "pk"
    )


def journal_rows(requests: QuerySet[SubjectRequest]) -> Iterator[Row]:
    """One row per request, with typed values (dates as dates), read in chunks."""
    for values in requests.values_list(*COLUMNS).iterator(chunk_size=CHUNK):
        row = dict(zip(COLUMNS, values, strict=True))
        yield (
            row["number"],
            _label("kind", row["kind"]),
            _label("filed_by", row["filed_by"]),
            subject_reference(row["subject_id"]) if row["subject_id"] else WITHOUT_ACCOUNT,
            _local(row["received_at"]),
            row["due_on"],
            row["extended_on"],
            _local(row["completed_at"]),
            _label("status", row["status"]),
            _label("outcome", row["outcome"]),
        )


def _label(column: str, value: str) -> str:
    return str(_LABELS[column].get(value, value)) if value else ""


def _local(moment: datetime.datetime | None) -> datetime.datetime | None:
    """Moscow wall-clock time, without the zone (a spreadsheet cell cannot hold one)."""
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    return str(value)


def _cell(sheet, value):
    """Dates stay dates (an inspector sorts and filters them), shown the Russian way."""
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value=value)
        is_moment = isinstance(value, datetime.datetime)
        cell.number_format = "DD.MM.YYYY HH:MM" if is_moment else "DD.MM.YYYY"
        return cell
    return xlsx_cell(sheet, value)


class _Echo:
    """A file-like object whose `write` hands the line back, for streaming the CSV."""

    def write(self, value: str) -> str:
        return value


def journal_csv_response(rows: Iterator[Row], *, filename: str) -> StreamingHttpResponse:
    """Streamed as it is read: memory stays flat whatever the period. A BOM and «;», so that
    Excel with Russian settings opens it as it is."""
    writer = SafeCsvWriter(_Echo(), delimiter=";", lineterminator="\r\n")

    def lines() -> Iterator[str]:
        yield "\ufeff" + writer.writerow(HEADER)
        for row in rows:
            yield writer.writerow([_text(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def journal_xlsx_response(rows: Iterator[Row], *, filename: str) -> FileResponse:
    """openpyxl's write-only mode keeps rows out of memory; the file is built in a temporary
    file and sent from there."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Журнал обращений")
    sheet.append(xlsx_row(sheet, HEADER))
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])
    file = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it once sent)
    workbook.save(file)
    file.seek(0)
    return FileResponse(
        file,
        as_attachment=True,
        filename=f"{filename}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
