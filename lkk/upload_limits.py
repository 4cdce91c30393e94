"""Limits on a registry file uploaded by staff, checked before and while it is read.

An XLSX is a ZIP of XML files: a file of a few hundred kilobytes can unpack to gigabytes (a
"ZIP bomb") and take the worker's memory with it. Its members' sizes are read from the ZIP's
directory before anything is unpacked — Python's zipfile never unpacks more than a member
declares, so the declared sizes bound the real ones. Rows and cells are counted as they stream.
Each limit answers with a Russian message that says what to do.
"""

import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from django.conf import settings

# A spreadsheet's XML packs about 5–20 times; far more than this is a bomb, not a table.
MAX_PACKING_RATIO = 200
# Small members (styles, relations) may pack better than that without harm.
RATIO_CHECKED_FROM_BYTES = 1024 * 1024


class UploadLimitExceeded(Exception):
    """The file is refused as a whole: nothing is imported."""


@dataclass(frozen=True)
class UploadLimits:
    unpacked_bytes: int
    rows: int
    cell_chars: int

    @classmethod
    def from_settings(cls) -> "UploadLimits":
        return cls(
            unpacked_bytes=settings.BILLING_IMPORT_UPLOAD_MAX_UNPACKED_MB * 1024 * 1024,
            rows=settings.BILLING_IMPORT_UPLOAD_MAX_ROWS,
            cell_chars=settings.BILLING_IMPORT_UPLOAD_MAX_CELL_CHARS,
        )


def check_unpacked_size(source: BinaryIO, limits: UploadLimits) -> None:
    """For a ZIP (XLSX) file: refuse it before opening if it unpacks to too much."""
    start = source.tell()
    if source.read(4) != b"PK\x03\x04":
        source.seek(start)
        return
    source.seek(start)
    try:
        with zipfile.ZipFile(source) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile as error:
        raise UploadLimitExceeded(f"Файл XLSX повреждён ({error}).") from error
    finally:
        source.seek(start)
    total = sum(member.file_size for member in members)
    if total > limits.unpacked_bytes:
        raise UploadLimitExceeded(
            f"Файл XLSX в распакованном виде больше {limits.unpacked_bytes // (1024 * 1024)} МБ: "
            "сохраните реестр как CSV или загрузите его командой manage.py import_accounts."
        )
    for member in members:
        packed = max(member.compress_size, 1)
        if member.file_size > RATIO_CHECKED_FROM_BYTES and member.file_size / packed > (
            MAX_PACKING_RATIO
        ):
            raise UploadLimitExceeded(
                "Файл XLSX сжат неправдоподобно сильно и похож на «ZIP-бомбу»: "
                "сохраните реестр заново из учётной системы."
            )


def limited_rows[Row: Iterable[object]](
    rows: Iterable[Row], limits: UploadLimits, *, first_row: int = 2
) -> Iterator[Row]:
    """The rows as they come, refusing the file at the first row or cell beyond the limits.
    Rows are numbered as a spreadsheet shows them (the header is row 1)."""
    for number, row in enumerate(rows, start=first_row):
        if number - first_row >= limits.rows:
            raise UploadLimitExceeded(
                f"В файле больше {limits.rows} строк: загрузите его командой "
                "manage.py import_accounts или разделите на части."
            )
        for cell in row:
            if isinstance(cell, str) and len(cell) > limits.cell_chars:
                raise UploadLimitExceeded(
                    f"Строка {number}: в ячейке больше {limits.cell_chars} символов — "
                    "это не реестр лицевых счетов. Проверьте файл."
                )
        yield row
