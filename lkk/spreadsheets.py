"""Every CSV and XLSX the portal writes goes through here, so that no cell of it is a formula.

A cell whose text starts with `=`, `+`, `-` or `@` (or a tab or carriage return before one) is
run as a formula by Excel and LibreOffice: a surname or a rejected value from a billing file
could then fetch a URL or run a command on the PC of the member of staff who opens the file
(CSV injection, OWASP). CSV cells get a leading apostrophe, the spreadsheet's own sign for
"this is text"; XLSX cells are written as text, so they show exactly what was stored.
"""

import csv
from collections.abc import Iterable
from typing import Any, Protocol

from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


def is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_cell(value: Any) -> Any:
    """The value as a CSV cell that a spreadsheet shows as text."""
    return f"'{value}" if is_formula_like(value) else value


class SafeCsvWriter:
    """`csv.writer` whose rows cannot hold a formula."""

    def __init__(self, stream: _Writable, **options: Any) -> None:
        self._writer = csv.writer(stream, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([csv_cell(value) for value in row])


def xlsx_cell(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    """The value for `sheet.append`: text that looks like a formula is stored as text."""
    if not is_formula_like(value):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"  # openpyxl would otherwise store it as a formula
    return cell


def xlsx_row(sheet: WriteOnlyWorksheet, row: Iterable[Any]) -> list[Any]:
    return [xlsx_cell(sheet, value) for value in row]
