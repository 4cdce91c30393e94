"""No cell of a CSV or XLSX the portal writes is run as a formula when staff open it."""

import csv
import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from openpyxl import Workbook

from lkk.spreadsheets import SafeCsvWriter, csv_cell, xlsx_row

ROOT = Path(__file__).resolve().parents[2]
FORMULAS = ['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("value", FORMULAS)
def test_a_csv_cell_that_looks_like_a_formula_is_text(value):
    assert csv_cell(value) == f"'{value}"


@pytest.mark.parametrize("value", ["Иванова", "1000000001", "", 5, None, "a=b"])
def test_other_csv_cells_are_left_as_they_are(value):
    assert csv_cell(value) == value


def test_the_csv_writer_neutralises_every_cell():
    stream = io.StringIO()
    SafeCsvWriter(stream, delimiter=";").writerow(["=1+1", "Иванова"])

    assert list(csv.reader(io.StringIO(stream.getvalue()), delimiter=";")) == [["'=1+1", "Иванова"]]


def test_an_xlsx_cell_that_looks_like_a_formula_is_stored_as_text():
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Лист")
    sheet.append(xlsx_row(sheet, ["=1+1", "Иванова", 5]))
    file = io.BytesIO()
    workbook.save(file)

    cells = next(openpyxl.load_workbook(io.BytesIO(file.getvalue())).active.iter_rows())

    assert [cell.value for cell in cells] == ["=1+1", "Иванова", 5]
    assert [cell.data_type for cell in cells] == ["s", "s", "n"]


@pytest.mark.django_db
def test_the_import_report_neutralises_a_rejected_value(tmp_path):
    source = tmp_path / "registry.csv"
    source.write_text(
        "Лицевой счёт;Адрес;ФИО;Номер счётчика;Статус\n"
        '=HYPERLINK("http://evil");г. Шуя;Иванов И. И.;;активен\n',
        encoding="utf-8",
    )
    report = tmp_path / "rejected.csv"

    call_command("import_accounts", str(source), "--report", str(report), stdout=io.StringIO())

    with report.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream, delimiter=";"))
    assert rows[1][2] == '\'=HYPERLINK("http://evil")'


def _portal_sources() -> list[Path]:
    """The portal's code: not the tests, not the benchmarks' generators of sample files."""
    return [
        path
        for path in ROOT.glob("*/**/*.py")
        if path.relative_to(ROOT).parts[0] not in {".venv", "tests", "benchmarks"}
        and path != ROOT / "lkk" / "spreadsheets.py"
    ]


def test_every_csv_and_xlsx_writer_of_the_portal_goes_through_the_helper():
    """One helper: a new export written with csv.writer or openpyxl directly fails here."""
    offenders = []
    for path in _portal_sources():
        source = path.read_text(encoding="utf-8")
        writes_csv = re.search(r"csv\.(writer|DictWriter)\(", source)
        writes_xlsx = "Workbook(" in source and "lkk.spreadsheets" not in source
        if writes_csv or writes_xlsx:
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
