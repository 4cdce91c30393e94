"""One exchange engine for every file the billing system sends us (CSV or XLSX).

The file is streamed row by row — never held in memory — into a temporary staging table with
COPY; rows the database must judge (an unknown account, a duplicate key) are marked there; then
one `INSERT … ON CONFLICT … DO UPDATE … WHERE … IS DISTINCT FROM …` upserts the valid rows, so a
row that did not change is not rewritten and importing the same file again changes nothing.
`full=True` says the file is the whole set: what it lacks is closed. Everything runs in one
transaction under an advisory lock per kind: a fatal error leaves the data as it was.

Columns are found by their header (case, ё/е and punctuation ignored); other columns are
ignored. Rows are numbered as a spreadsheet shows them: the header is row 1. Every rejected row
goes to `on_reject` with its row, column, value and reason (the commands write them to
`--report`), and `progress` hears how far the file has been read.

How to add a kind of file
-------------------------
1. Describe its columns: one `Column` each, with the header titles it may carry (the first is
   the one messages use), the staging table's SQL type, and a `parse` function turning a cell
   into a value or raising `CellError("Russian reason")`. Mark the key columns `key=True`: a row
   whose key does not parse is not staged at all; the first row of each key wins.
2. Write a `FileKind`: a name (the advisory lock and the staging table's name come from it), the
   columns, `checks` run on the staged rows in SQL (e.g. "the account exists"), an `upsert`
   reading `SELECT … FROM <staging> WHERE valid` and returning (created, updated), and — if a
   full file is meaningful — `close_missing`.
3. Call `exchange_import(kind, source, full=…, on_reject=…, progress=…)`; for a command,
   subclass `lkk.exchange_command.ImportCommand` and set `kind`; for a file staff upload in the
   admin, follow `lkk.exchange_upload` (a background task, progress and summary on a page).
See `billing/importer.py` (accounts) and `meters/exchange.py` (meters, tariffs, outcomes).

Table and column names in the SQL come from the code (a `FileKind`), never from a file: hence
the few `noqa: S608`. Values always travel as parameters or through COPY.
"""

import codecs
import csv
import functools
import io
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any, BinaryIO, Protocol
from zipfile import BadZipFile

import openpyxl
from django.db import connection, transaction
from django.utils import timezone

from lkk import metrics
from lkk.person_cache import generation_next
from lkk.upload_limits import UploadLimitExceeded, UploadLimits, check_unpacked_size, limited_rows

# What consumer pages keep from imported data is kept under this generation
# (`lkk.person_cache`): every import that changes a row starts a new one.
IMPORTED_DATA_GENERATION = "exchange:generation"
_SNIFF_BYTES = 64 * 1024
_ENCODING_NAMES = {"utf-8-sig": "UTF-8", "cp1251": "Windows-1251"}
PROGRESS_EVERY_ROWS = 5000


class ExchangeError(Exception):
    """A fatal problem with the file as a whole: nothing is imported."""


class CellError(ValueError):
    """A cell that cannot be used; the message is the reason shown in the report."""


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


# --- Cells ------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def _key_of_text(text: str) -> str:
    text = text.casefold().replace("ё", "е")
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def header_key(title: object) -> str:
    """Headers and words compare without case, ё/е, punctuation and extra spaces. Cached: a
    column of statuses or yes/no repeats a handful of words a million times."""
    return _key_of_text(str(title or ""))


def cell_text(value: object) -> str:
    """A cell as text: spreadsheets give numbers and dates, CSV gives strings."""
    if value is None:
        return ""
    if isinstance(value, str):
        # The common case, kept cheap: a clean cell needs no splitting and joining. Tabs, line
        # breaks, NUL and non-breaking or other Unicode spaces are all "not printable".
        text = value.strip()
        if "  " in text or not text.isprintable():
            return " ".join(text.replace("\x00", "").split())
        return text
    if isinstance(value, bool):
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


def parse_text(*, max_length: int, required: bool = True) -> Callable[[object], str]:
    def parse(value: object) -> str:
        text = cell_text(value)
        if not text and required:
            raise CellError("Значение не указано.")
        if len(text) > max_length:
            raise CellError(f"Длиннее {max_length} символов.")
        return text

    return parse


def parse_choice[Choice: str](
    values: Mapping[Choice, Sequence[str]], *, message: str
) -> Callable[[object], Choice]:
    """One of `values` (value → the words billing may write for it, "" for an empty cell)."""
    by_key = {header_key(word): value for value, words in values.items() for word in words}

    def parse(cell: object) -> Choice:
        choice = by_key.get(header_key(cell_text(cell)))
        if choice is None:
            raise CellError(message)
        return choice

    return parse


def parse_decimal(
    *, places: int, required: bool = True, minimum: Decimal | None = Decimal(0)
) -> Callable[[object], Decimal | None]:
    """A number with a point or a comma and at most `places` decimals."""

    plain = re.compile(rf"\d{{1,9}}(?:\.\d{{1,{places}}})?" if places else r"\d{1,9}")

    def parse(value: object) -> Decimal | None:
        if isinstance(value, float):
            value = repr(value)
        text = cell_text(value).replace(" ", "").replace(",", ".")
        if plain.fullmatch(text):  # the common case: a plain non-negative number that fits
            return Decimal(text)
        if not text:
            if required:
                raise CellError("Значение не указано.")
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise CellError("Ожидается число.") from None
        if not number.is_finite():
            raise CellError("Ожидается число.")
        if minimum is not None and number < minimum:
            raise CellError(f"Число не может быть меньше {minimum}.")
        if number != number.quantize(Decimal(1).scaleb(-places)):
            raise CellError(f"Больше {places} знаков после запятой.")
        if abs(number) >= Decimal(10) ** 9:
            raise CellError("Слишком большое число.")
        return number

    return parse


def parse_int(*, minimum: int, maximum: int, required: bool = True) -> Callable[[object], Any]:
    def parse(value: object) -> int | None:
        text = cell_text(value)
        if not text:
            if required:
                raise CellError("Значение не указано.")
            return None
        if not (text.isascii() and text.isdigit()) or not minimum <= int(text) <= maximum:
            raise CellError(f"Ожидается целое число от {minimum} до {maximum}.")
        return int(text)

    return parse


def parse_date(*, required: bool = True) -> Callable[[object], date | None]:
    """ДД.ММ.ГГГГ (as billing writes it) or ГГГГ-ММ-ДД, or a spreadsheet's date cell."""

    def parse(value: object) -> date | None:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = cell_text(value)
        if not text:
            if required:
                raise CellError("Дата не указана.")
            return None
        if len(text) == 10 and text[2] == "." and text[5] == ".":  # ДД.ММ.ГГГГ, fast
            try:
                return date(int(text[6:]), int(text[3:5]), int(text[:2]))
            except ValueError:
                raise CellError("Такой даты нет.") from None
        for pattern in ("%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%d.%m.%Y"):
            try:
                return datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        raise CellError("Ожидается дата в виде ДД.ММ.ГГГГ.")

    return parse


def parse_month(*, required: bool = True) -> Callable[[object], date | None]:
    """ММ.ГГГГ (or a date in the month): the first day of that month."""
    as_date = parse_date(required=required)

    def parse(value: object) -> date | None:
        text = cell_text(value)
        match = re.fullmatch(r"(\d{1,2})[./](\d{4})", text)
        if match and 1 <= int(match[1]) <= 12:
            return date(int(match[2]), int(match[1]), 1)
        try:
            day = as_date(value)
        except CellError:
            raise CellError("Ожидается месяц в виде ММ.ГГГГ.") from None
        return day.replace(day=1) if day else None

    return parse


def parse_bool(value: object) -> bool:
    key = header_key(cell_text(value))
    if key in ("да", "1", "true", "yes", "есть"):
        return True
    if key in ("", "нет", "0", "false", "no"):
        return False
    raise CellError("Ожидается «да» или «нет».")


# --- Kinds of file ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str  # the staging table's column
    aliases: tuple[str, ...]  # headers it may carry; the first one names it in messages
    sql_type: str
    parse: Callable[[object], Any]
    required: bool = True  # must be in the header
    key: bool = False

    @property
    def title(self) -> str:
        return self.aliases[0]


@dataclass(frozen=True)
class StagedCheck:
    """Rows for which `condition` (SQL over the staging table, aliased `s`) holds are rejected
    with `reason`, showing `column`'s value."""

    column: str
    condition: str
    reason: str


@dataclass(frozen=True)
class FileKind:
    name: str  # letters, digits and _; names the lock and the staging table
    title: str  # «реестр лицевых счетов», for messages
    columns: tuple[Column, ...]
    upsert: Callable[..., tuple[int, int]]  # (cursor, *, staging, now) -> (created, updated)
    upsert_phase: str
    checks: tuple[StagedCheck, ...] = ()
    close_missing: Callable[..., int] | None = None  # (cursor, *, staging, now) -> closed
    close_phase: str = ""
    full_refusal: str = "В файле нет ни одной правильной строки: полный импорт закрыл бы всё."
    _by_key: dict[str, Column] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(
            self,
            "_by_key",
            {header_key(alias): column for column in self.columns for alias in column.aliases},
        )

    @property
    def staging(self) -> str:
        return f"exchange_{self.name}_rows"

    @property
    def key_columns(self) -> tuple[Column, ...]:
        return tuple(column for column in self.columns if column.key)

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)

    def positions(self, header: list[object]) -> dict[str, int]:
        positions: dict[str, int] = {}
        for index, title in enumerate(header):
            column = self._by_key.get(header_key(title))
            if column is None:
                continue
            if column.name in positions:
                raise ExchangeError(
                    f"Столбцы «{header[positions[column.name]]}» и «{title}» означают одно и то "
                    f"же ({column.title}): оставьте один."
                )
            positions[column.name] = index
        missing = [c.title for c in self.columns if c.required and c.name not in positions]
        if missing:
            found = ", ".join(f"«{cell_text(title)}»" for title in header if cell_text(title))
            raise ExchangeError(
                "В первой строке нет столбцов: "
                + ", ".join(f"«{title}»" for title in missing)
                + f". Найдены: {found or 'ничего'}."
            )
        return positions


# --- Reading ----------------------------------------------------------------------------------


@dataclass
class _Table:
    header: list[object]
    rows: Iterator[tuple[object, ...] | list[str]]
    fraction: Callable[[], float | None]


def _open_table(source: BinaryIO) -> _Table:
    magic = source.read(8)
    source.seek(0)
    if magic.startswith(b"PK\x03\x04"):
        return _open_xlsx(source)
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        raise ExchangeError(
            "Формат XLS (Excel 97–2003) не поддерживается: сохраните файл как XLSX или CSV."
        )
    return _open_csv(source)


def _open_csv(source: BinaryIO) -> _Table:
    size = source.seek(0, io.SEEK_END)
    source.seek(0)
    head = source.read(_SNIFF_BYTES)
    source.seek(0)
    if not head.strip():
        raise ExchangeError("Файл пуст.")
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
            raise ExchangeError(
                f"Файл не читается в кодировке {_ENCODING_NAMES[encoding]} "
                f"(около строки {reader.line_num + 1}): сохраните его в UTF-8 или Windows-1251."
            ) from error
        except csv.Error as error:
            raise ExchangeError(
                f"Строка {reader.line_num}: файл CSV повреждён ({error})."
            ) from error

    iterator = rows()
    header = next(iterator, None)
    if header is None:
        raise ExchangeError("Файл пуст.")
    return _Table(list(header), iterator, lambda: source.tell() / size if size else None)


def _open_xlsx(source: BinaryIO) -> _Table:
    try:
        # Read-only mode streams the sheet's XML instead of building every cell in memory.
        workbook = openpyxl.load_workbook(source, read_only=True, data_only=True)
    except (BadZipFile, KeyError, OSError, ValueError) as error:
        raise ExchangeError(f"Файл XLSX не читается ({error}).") from error
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
        raise ExchangeError("Лист пуст.")
    return _Table(list(header), iterator, lambda: counter["rows"] / total if total else None)


def _is_blank(cells: tuple[object, ...] | list[str]) -> bool:
    # A loop rather than all(…): it stops at the first cell of an ordinary row.
    for cell in cells:
        if cell is not None and (not isinstance(cell, str) or cell.strip()):
            return False
    return True


def _parse_row(
    row_no: int,
    cells: tuple[object, ...] | list[str],
    positions: list[tuple[Column, int | None]],
) -> tuple[tuple | None, list[Rejection]]:
    """The row for the staging table (None without a usable key), and what is wrong.

    A row with a good key but other problems is still staged (as invalid), so that a full
    import does not close a thing just because its row had a typo."""
    values: list[object] = [row_no]
    problems: list[Rejection] = []
    key_ok = True
    width = len(cells)
    for column, index in positions:
        raw = cells[index] if index is not None and index < width else None
        try:
            values.append(column.parse(raw))
        except CellError as error:
            values.append(None)
            problems.append(Rejection(row_no, column.title, _shown(raw), str(error)))
            if column.key:
                key_ok = False
    if not key_ok:
        return None, problems
    values.append(not problems)
    return tuple(values), problems


def _shown(raw: object) -> str:
    text = cell_text(raw)
    return text[:100] + "…" if len(text) > 100 else text


# --- Writing ----------------------------------------------------------------------------------


def _stage(
    kind: FileKind,
    table: _Table,
    *,
    summary: ImportSummary,
    on_reject: Callable[[Rejection], None],
    progress: Progress,
) -> int:
    """COPY every row with a usable key into the staging table; returns the valid count."""
    found = kind.positions(table.header)
    positions = [(column, found.get(column.name)) for column in kind.columns]
    valid = 0
    names = [column.name for column in kind.columns]
    definitions = ",\n".join(
        f"{c.name} {c.sql_type}{' NOT NULL' if c.key else ''}" for c in kind.columns
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            CREATE TEMPORARY TABLE {kind.staging} (
                row_no integer NOT NULL,
                {definitions},
                valid boolean NOT NULL,
                duplicate_of integer
            ) ON COMMIT DROP
            """
        )
        copy_sql = f"COPY {kind.staging} (row_no, {', '.join(names)}, valid) FROM STDIN"
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
                if summary.rows % PROGRESS_EVERY_ROWS == 0:
                    progress.rows_read(summary.rows, table.fraction())
        progress.rows_read(summary.rows, 1.0)
        # Temporary tables are never analysed automatically; the planner needs the numbers.
        cursor.execute(f"ANALYZE {kind.staging}")
    return valid


def _report_marked(
    kind: FileKind,
    sql: str,
    params: dict,
    *,
    column: Column,
    reason: Callable[[Any], str],
    on_reject: Callable[[Rejection], None],
) -> None:
    """Stream the rows `sql` selects (row_no, value, extra) into the report."""
    # A server-side cursor: even a file of nothing but rejected rows streams into the report.
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        for row_no, value, extra in cursor:
            on_reject(Rejection(row_no, column.title, cell_text(value), reason(extra)))


def _reject_duplicates(
    kind: FileKind, *, summary: ImportSummary, on_reject: Callable[[Rejection], None]
) -> int:
    """The first valid row of a key wins; later ones are rejected. Returns how many."""
    keys = ", ".join(column.name for column in kind.key_columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {kind.staging} AS s SET valid = false, duplicate_of = d.first_row
            FROM (
                SELECT row_no, min(row_no) OVER (PARTITION BY {keys}) AS first_row
                FROM {kind.staging} WHERE valid
            ) AS d
            WHERE s.row_no = d.row_no AND d.row_no <> d.first_row
            """  # noqa: S608
        )
        duplicates = cursor.rowcount
    if duplicates:
        shown = kind.key_columns[-1]
        what = "Этот номер" if len(kind.key_columns) == 1 else "Эта строка"
        _report_marked(
            kind,
            f"SELECT row_no, {shown.name}, duplicate_of FROM {kind.staging} "  # noqa: S608
            "WHERE duplicate_of IS NOT NULL ORDER BY row_no",
            {},
            column=shown,
            reason=lambda first_row: (
                f"{what} уже был{'а' if what == 'Эта строка' else ''} в строке {first_row}."
            ),
            on_reject=on_reject,
        )
        summary.rejected += duplicates
    return duplicates


def _same_reason(reason: str) -> Callable[[Any], str]:
    """The reason of a check: the same for every row it rejects."""
    return lambda _extra: reason


def _run_checks(
    kind: FileKind, *, summary: ImportSummary, on_reject: Callable[[Rejection], None]
) -> int:
    rejected = 0
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {kind.staging} ADD COLUMN failed_check integer")
    for number, check in enumerate(kind.checks):
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {kind.staging} AS s SET valid = false, failed_check = %(check)s "  # noqa: S608
                f"WHERE s.valid AND ({check.condition})",
                {"check": number},
            )
            failed = cursor.rowcount
        if failed:
            rejected += failed
            _report_marked(
                kind,
                f"SELECT row_no, {check.column}, NULL FROM {kind.staging} "  # noqa: S608
                "WHERE failed_check = %(check)s ORDER BY row_no",
                {"check": number},
                column=kind.column(check.column),
                reason=_same_reason(check.reason),
                on_reject=on_reject,
            )
    summary.rejected += rejected
    return rejected


def _take_lock(kind: FileKind) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_try_advisory_xact_lock(hashtextextended(%s, 0))", [f"{kind.name}.import"]
        )
        (locked,) = cursor.fetchone()
    if not locked:
        raise ExchangeError(f"Уже идёт другой импорт ({kind.title}): дождитесь его окончания.")


def exchange_import(
    kind: FileKind,
    source: BinaryIO,
    *,
    full: bool = False,
    on_reject: Callable[[Rejection], None] = lambda rejection: None,
    progress: Progress | None = None,
    limits: UploadLimits | None = None,
) -> ImportSummary:
    """Import the file in `source` (a seekable binary file) as `kind`, in one transaction.

    `full`: the file is the whole set, so what is missing from it is closed. Rejected rows go
    to `on_reject` as they are found; an `ExchangeError` (or any other exception) leaves the
    data unchanged. `limits`: for a file uploaded by staff, refused as a whole when it unpacks
    or runs beyond them (`lkk.upload_limits`).
    """
    if full and kind.close_missing is None:
        raise ExchangeError(f"Для этого файла ({kind.title}) полный импорт не предусмотрен.")
    progress = progress or _Silent()
    try:
        summary = _import(
            kind, source, full=full, on_reject=on_reject, progress=progress, limits=limits
        )
    except BaseException:
        metrics.IMPORTS.labels(kind=kind.name, outcome="failed").inc()
        raise
    metrics.IMPORTS.labels(kind=kind.name, outcome="succeeded").inc()
    for result in ("created", "updated", "unchanged", "closed", "rejected"):
        metrics.IMPORTED_ROWS.labels(kind=kind.name, result=result).inc(getattr(summary, result))
    return summary


def _import(
    kind: FileKind,
    source: BinaryIO,
    *,
    full: bool,
    on_reject: Callable[[Rejection], None],
    progress: Progress,
    limits: UploadLimits | None,
) -> ImportSummary:
    summary = ImportSummary()
    now = timezone.now()
    with transaction.atomic():
        _take_lock(kind)
        try:
            if limits is not None:
                check_unpacked_size(source, limits)
            table = _open_table(source)
            if limits is not None:
                table.rows = limited_rows(table.rows, limits)
            valid = _stage(kind, table, summary=summary, on_reject=on_reject, progress=progress)
        except UploadLimitExceeded as error:
            raise ExchangeError(str(error)) from error
        valid -= _reject_duplicates(kind, summary=summary, on_reject=on_reject)
        if kind.checks:
            valid -= _run_checks(kind, summary=summary, on_reject=on_reject)
        if full and not valid:
            raise ExchangeError(kind.full_refusal)
        progress.phase(kind.upsert_phase)
        with connection.cursor() as cursor:
            summary.created, summary.updated = kind.upsert(cursor, staging=kind.staging, now=now)
        summary.unchanged = valid - summary.created - summary.updated
        if full and kind.close_missing is not None:
            progress.phase(kind.close_phase)
            with connection.cursor() as cursor:
                summary.closed = kind.close_missing(cursor, staging=kind.staging, now=now)
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {kind.staging}")
        if summary.created or summary.updated or summary.closed:
            generation_next(IMPORTED_DATA_GENERATION)
    return summary
