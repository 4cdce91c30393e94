"""Import of the billing system's export of лицевые счета (CSV or XLSX) into the registry.

The file is streamed row by row — never held in memory — into a temporary table with COPY;
then one `INSERT … ON CONFLICT … DO UPDATE … WHERE … IS DISTINCT FROM …` upserts it, so a row
that did not change is not rewritten and importing the same file again changes nothing.
Everything runs in one transaction: a fatal error leaves the registry as it was.

Columns are found by their header (the names below, case, ё/е and punctuation ignored);
other columns are ignored. Rows are numbered as a spreadsheet shows them: the header is row 1.
"""

import codecs
import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import BinaryIO, Protocol
from zipfile import BadZipFile

import openpyxl
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from billing.models import PersonalAccount
from billing.numbers import (
    account_number_format_message,
    clean_account_number,
    is_valid_account_number,
)
from billing.upload_limits import (
    UploadLimitExceeded,
    UploadLimits,
    check_unpacked_size,
    limited_rows,
)

NUMBER, ADDRESS, HOLDER_NAME, METER_NUMBER, STATUS = (
    "number",
    "address",
    "holder_name",
    "meter_number",
    "status",
)
# The billing system's own headers first, then the aliases other exports use.
COLUMN_ALIASES = {
    NUMBER: ("Лицевой счёт", "Номер лицевого счёта", "Л/с", "№ л/с", "Номер л/с", "Account"),
    ADDRESS: ("Адрес", "Адрес объекта", "Адрес поставки", "Адрес объекта поставки", "Address"),
    HOLDER_NAME: ("ФИО", "ФИО владельца", "Владелец", "Абонент", "Потребитель", "Holder"),
    METER_NUMBER: (
        "Номер счётчика",
        "Счётчик",
        "Заводской номер счётчика",
        "Заводской номер",
        "Зав. номер",
        "Номер прибора учёта",
        "Meter",
    ),
    STATUS: ("Статус", "Состояние", "Status"),
}
REQUIRED_COLUMNS = (NUMBER, ADDRESS, HOLDER_NAME)
COLUMN_TITLES = {field: aliases[0] for field, aliases in COLUMN_ALIASES.items()}

STATUS_VALUES = {
    PersonalAccount.Status.ACTIVE: ("", "активен", "активный", "действует", "открыт", "active"),
    PersonalAccount.Status.CLOSED: ("закрыт", "закрытый", "неактивен", "не активен", "closed"),
}

_MAX_LENGTHS = {
    field: PersonalAccount._meta.get_field(field).max_length
    for field in (ADDRESS, HOLDER_NAME, METER_NUMBER)
}
_SNIFF_BYTES = 64 * 1024
_ENCODING_NAMES = {"utf-8-sig": "UTF-8", "cp1251": "Windows-1251"}
_PROGRESS_EVERY_ROWS = 5000


def _key(title: object) -> str:
    """Headers and statuses compare without case, ё/е, punctuation and extra spaces."""
    text = str(title or "").casefold().replace("ё", "е")
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


_COLUMN_BY_KEY = {
    _key(alias): field for field, aliases in COLUMN_ALIASES.items() for alias in aliases
}
_STATUS_BY_KEY = {
    _key(value): status for status, values in STATUS_VALUES.items() for value in values
}


class RegistryImportError(Exception):
    """A fatal problem with the file as a whole: nothing is imported."""


@dataclass(frozen=True)
class Rejection:
    row: int
    column: str
    value: str
    reason: str


@dataclass
class ImportSummary:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    closed: int = 0
    rejected: int = 0

    def __str__(self) -> str:
        return (
            f"Строк в файле: {self.rows}. Создано: {self.created}, обновлено: {self.updated}, "
            f"без изменений: {self.unchanged}, закрыто: {self.closed}, "
            f"отклонено строк: {self.rejected}."
        )


class Progress(Protocol):
    def rows_read(self, rows: int, fraction: float | None) -> None: ...

    def phase(self, message: str) -> None: ...


class _Silent:
    def rows_read(self, rows: int, fraction: float | None) -> None:
        pass

    def phase(self, message: str) -> None:
        pass


@dataclass
class _Table:
    header: list[object]
    rows: Iterator[tuple[object, ...] | list[str]]
    fraction: Callable[[], float | None]


# --- Reading --------------------------------------------------------------------------------


def _open_table(source: BinaryIO) -> _Table:
    magic = source.read(8)
    source.seek(0)
    if magic.startswith(b"PK\x03\x04"):
        return _open_xlsx(source)
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        raise RegistryImportError(
            "Формат XLS (Excel 97–2003) не поддерживается: сохраните файл как XLSX или CSV."
        )
    return _open_csv(source)


def _open_csv(source: BinaryIO) -> _Table:
    size = source.seek(0, io.SEEK_END)
    source.seek(0)
    head = source.read(_SNIFF_BYTES)
    source.seek(0)
    if not head.strip():
        raise RegistryImportError("Файл пуст.")
    try:
        # A sample cut in the middle of a character is not an error (final=False).
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        encoding = "utf-8-sig"  # also drops the BOM Excel puts in front
    except UnicodeDecodeError:
        encoding = "cp1251"
    first_line = head.decode(encoding, errors="replace").splitlines()[0]
    delimiter = max(";,\t", key=first_line.count)
    text = io.TextIOWrapper(source, encoding=encoding, newline="")
    reader = csv.reader(text, delimiter=delimiter)

    def rows() -> Iterator[list[str]]:
        try:
            yield from reader
        except UnicodeDecodeError as error:
            raise RegistryImportError(
                f"Файл не читается в кодировке {_ENCODING_NAMES[encoding]} "
                f"(около строки {reader.line_num + 1}): сохраните его в UTF-8 или Windows-1251."
            ) from error
        except csv.Error as error:
            raise RegistryImportError(
                f"Строка {reader.line_num}: файл CSV повреждён ({error})."
            ) from error

    iterator = rows()
    header = next(iterator, None)
    if header is None:
        raise RegistryImportError("Файл пуст.")
    return _Table(header, iterator, lambda: source.tell() / size if size else None)


def _open_xlsx(source: BinaryIO) -> _Table:
    try:
        # Read-only mode streams the sheet's XML instead of building every cell in memory.
        workbook = openpyxl.load_workbook(source, read_only=True, data_only=True)
    except (BadZipFile, KeyError, OSError, ValueError) as error:
        raise RegistryImportError(f"Файл XLSX не читается ({error}).") from error
    sheet = workbook.worksheets[0]
    total = sheet.max_row  # from the sheet's <dimension>; None when the file has none
    counter = {"rows": 0}

    def rows() -> Iterator[tuple[object, ...]]:
        try:
            for row in sheet.iter_rows(values_only=True):
                counter["rows"] += 1
                yield row
        finally:
            workbook.close()

    iterator = rows()
    header = next(iterator, None)
    if header is None:
        raise RegistryImportError("Лист пуст.")
    return _Table(list(header), iterator, lambda: counter["rows"] / total if total else None)


def _cell_text(value: object) -> str:
    """A cell as text: spreadsheets give numbers and dates, CSV gives strings."""
    if value is None:
        return ""
    if isinstance(value, str):
        text = value
    elif isinstance(value, bool):
        text = str(value)
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, datetime | date | time):
        text = value.isoformat()
    else:
        text = str(value)
    if "\x00" in text:  # PostgreSQL text cannot hold NUL
        text = text.replace("\x00", "")
    return " ".join(text.split())


def _is_blank(cells: tuple[object, ...] | list[str]) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def _number_text(value: object) -> str:
    """A number stored as a number in a spreadsheet has lost its leading zeros: restore them."""
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
        text = _cell_text(value)
        if text.isdigit():
            return text.zfill(settings.BILLING_ACCOUNT_NUMBER_LENGTH)
    return clean_account_number(_cell_text(value))


def _columns(header: list[object]) -> dict[str, int]:
    positions: dict[str, int] = {}
    for index, title in enumerate(header):
        field = _COLUMN_BY_KEY.get(_key(title))
        if field is None:
            continue
        if field in positions:
            raise RegistryImportError(
                f"Столбцы «{header[positions[field]]}» и «{title}» означают одно и то же "
                f"({COLUMN_TITLES[field]}): оставьте один."
            )
        positions[field] = index
    missing = [COLUMN_TITLES[field] for field in REQUIRED_COLUMNS if field not in positions]
    if missing:
        found = ", ".join(f"«{_cell_text(title)}»" for title in header if _cell_text(title))
        raise RegistryImportError(
            "В первой строке нет столбцов: "
            + ", ".join(f"«{title}»" for title in missing)
            + f". Найдены: {found or 'ничего'}."
        )
    return positions


def _parse_row(
    row_no: int, cells: tuple[object, ...] | list[str], positions: dict[str, int]
) -> tuple[tuple | None, list[Rejection]]:
    """The row for the staging table (None without a usable number), and what is wrong."""

    def cell(field: str) -> object:
        index = positions.get(field)
        return cells[index] if index is not None and index < len(cells) else None

    problems = []
    raw_number = cell(NUMBER)
    number = _number_text(raw_number)
    if not is_valid_account_number(number):
        reason = account_number_format_message() if number else "Номер лицевого счёта не указан."
        problems.append(Rejection(row_no, COLUMN_TITLES[NUMBER], _cell_text(raw_number), reason))
    values = {}
    for field in (ADDRESS, HOLDER_NAME, METER_NUMBER):
        text = _cell_text(cell(field))
        values[field] = text
        if not text and field in REQUIRED_COLUMNS:
            problems.append(Rejection(row_no, COLUMN_TITLES[field], "", "Значение не указано."))
        elif len(text) > _MAX_LENGTHS[field]:
            problems.append(
                Rejection(
                    row_no,
                    COLUMN_TITLES[field],
                    text[:100] + "…",
                    f"Длиннее {_MAX_LENGTHS[field]} символов.",
                )
            )
    status_text = _cell_text(cell(STATUS))
    status = _STATUS_BY_KEY.get(_key(status_text))
    if status is None:
        problems.append(
            Rejection(
                row_no,
                COLUMN_TITLES[STATUS],
                status_text,
                "Неизвестное состояние: ожидается «активен» или «закрыт».",
            )
        )
    if not is_valid_account_number(number):
        return None, problems
    # A row with a good number but other problems is still staged (as invalid), so that a full
    # import does not close an account just because its row had a typo.
    staged = (
        row_no,
        number,
        values[ADDRESS],
        values[HOLDER_NAME],
        values[METER_NUMBER],
        status or PersonalAccount.Status.ACTIVE,
        not problems,
    )
    return staged, problems


# --- Writing --------------------------------------------------------------------------------


def _stage(
    table: _Table,
    *,
    summary: ImportSummary,
    on_reject: Callable[[Rejection], None],
    progress: Progress,
) -> int:
    """COPY every row with a usable number into the staging table; returns the valid count."""
    positions = _columns(table.header)
    valid = 0
    with connection.cursor() as cursor:
        cursor.execute(
            """
            CREATE TEMPORARY TABLE billing_import_rows (
                row_no integer NOT NULL,
                number varchar(20) NOT NULL,
                address text NOT NULL,
                holder_name text NOT NULL,
                meter_number text NOT NULL,
                status varchar(10) NOT NULL,
                valid boolean NOT NULL,
                duplicate_of integer
            ) ON COMMIT DROP
            """
        )
        copy_sql = (
            "COPY billing_import_rows "
            "(row_no, number, address, holder_name, meter_number, status, valid) FROM STDIN"
        )
        with cursor.copy(copy_sql) as copy:
            for row_no, cells in enumerate(table.rows, start=2):
                if _is_blank(cells):
                    continue  # blank lines, typically at the end of a spreadsheet
                summary.rows += 1
                staged, problems = _parse_row(row_no, cells, positions)
                if staged is not None:
                    copy.write_row(staged)
                    if not problems:
                        valid += 1
                if problems:
                    summary.rejected += 1
                    for problem in problems:
                        on_reject(problem)
                if summary.rows % _PROGRESS_EVERY_ROWS == 0:
                    progress.rows_read(summary.rows, table.fraction())
        progress.rows_read(summary.rows, 1.0)
        # Temporary tables are never analysed automatically; the planner needs the numbers.
        cursor.execute("ANALYZE billing_import_rows")
    return valid


def _reject_duplicates(*, summary: ImportSummary, on_reject: Callable[[Rejection], None]) -> int:
    """The first valid row of a number wins; later ones are rejected. Returns how many."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE billing_import_rows AS s SET valid = false, duplicate_of = d.first_row
            FROM (
                SELECT row_no, min(row_no) OVER (PARTITION BY number) AS first_row
                FROM billing_import_rows WHERE valid
            ) AS d
            WHERE s.row_no = d.row_no AND d.row_no <> d.first_row
            """
        )
        duplicates = cursor.rowcount
    if duplicates:
        # A server-side cursor: even a file of nothing but duplicates streams into the report.
        with connection.chunked_cursor() as cursor:
            cursor.execute(
                "SELECT row_no, number, duplicate_of FROM billing_import_rows "
                "WHERE duplicate_of IS NOT NULL ORDER BY row_no"
            )
            for row_no, number, first_row in cursor:
                on_reject(
                    Rejection(
                        row_no,
                        COLUMN_TITLES[NUMBER],
                        number,
                        f"Этот номер уже был в строке {first_row}.",
                    )
                )
        summary.rejected += duplicates
    return duplicates


def _upsert(*, now: datetime) -> tuple[int, int]:
    """Insert new accounts, update changed ones, leave equal ones alone: (created, updated)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH upserted AS (
                INSERT INTO billing_personalaccount AS account
                    (number, address, holder_name, meter_number, status, created_at, imported_at)
                SELECT number, address, holder_name, meter_number, status, %(now)s, %(now)s
                FROM billing_import_rows WHERE valid
                ON CONFLICT (number) DO UPDATE SET
                    address = EXCLUDED.address,
                    holder_name = EXCLUDED.holder_name,
                    meter_number = EXCLUDED.meter_number,
                    status = EXCLUDED.status,
                    imported_at = EXCLUDED.imported_at
                WHERE (account.address, account.holder_name, account.meter_number, account.status)
                    IS DISTINCT FROM
                    (EXCLUDED.address, EXCLUDED.holder_name, EXCLUDED.meter_number, EXCLUDED.status)
                -- An updated row keeps the created_at of the import that first brought it.
                RETURNING account.created_at = %(now)s AS created
            )
            SELECT count(*) FILTER (WHERE created), count(*) FILTER (WHERE NOT created)
            FROM upserted
            """,
            {"now": now},
        )
        created, updated = cursor.fetchone()
    return created, updated


def _close_missing(*, now: datetime) -> int:
    """A full export lists every account: an active one missing from it has been closed.
    Rows rejected for other reasons still count as present (they are staged as invalid)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE billing_personalaccount AS account SET status = %(closed)s, imported_at = %(now)s
            WHERE account.status = %(active)s
              AND NOT EXISTS (
                  SELECT 1 FROM billing_import_rows AS s WHERE s.number = account.number
              )
            """,
            {
                "now": now,
                "closed": PersonalAccount.Status.CLOSED,
                "active": PersonalAccount.Status.ACTIVE,
            },
        )
        return cursor.rowcount


def _take_import_lock() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(hashtextextended('billing.import', 0))")
        (locked,) = cursor.fetchone()
    if not locked:
        raise RegistryImportError("Уже идёт другой импорт реестра: дождитесь его окончания.")


def registry_import(
    source: BinaryIO,
    *,
    full: bool = False,
    on_reject: Callable[[Rejection], None] = lambda rejection: None,
    progress: Progress | None = None,
    limits: UploadLimits | None = None,
) -> ImportSummary:
    """Import the billing export in `source` (a seekable binary file) in one transaction.

    `full`: the file is the whole registry, so active accounts missing from it are closed.
    Rejected rows go to `on_reject` as they are found; a `RegistryImportError` (or any other
    exception) leaves the registry unchanged. `limits`: for a file uploaded by staff
    (`billing.upload_limits`), refused as a whole when it unpacks or runs beyond them.
    """
    progress = progress or _Silent()
    summary = ImportSummary()
    now = timezone.now()
    with transaction.atomic():
        _take_import_lock()
        try:
            if limits is not None:
                check_unpacked_size(source, limits)
            table = _open_table(source)
            if limits is not None:
                table.rows = limited_rows(table.rows, limits)
            valid = _stage(table, summary=summary, on_reject=on_reject, progress=progress)
        except UploadLimitExceeded as error:
            raise RegistryImportError(str(error)) from error
        valid -= _reject_duplicates(summary=summary, on_reject=on_reject)
        if full and not valid:
            raise RegistryImportError(
                "В файле нет ни одной правильной строки: полный импорт закрыл бы все счета."
            )
        progress.phase("Обновление реестра…")
        summary.created, summary.updated = _upsert(now=now)
        summary.unchanged = valid - summary.created - summary.updated
        if full:
            progress.phase("Закрытие счетов, которых нет в выгрузке…")
            summary.closed = _close_missing(now=now)
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE billing_import_rows")
    return summary
