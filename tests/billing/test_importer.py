"""`import_accounts`: the billing export becomes the registry, and only what changed changes."""

import csv
import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from billing.models import PersonalAccount

pytestmark = pytest.mark.django_db

ROWS = [
    [
        "1000000001",
        "г. Ивантеевка, ул. Толмачёва, д. 5, кв. 12",
        "Королёва Н. С.",
        "011552146",
        "активен",
    ],
    ["1000000002", "г. Пушкино, Московский пр-т, д. 3", "Семёнов В. П.", "", "закрыт"],
]


def run_import(path, *args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_accounts", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def registry() -> dict[str, tuple[str, str, str, str]]:
    return {
        a.number: (a.address, a.holder_name, a.meter_number, a.status)
        for a in PersonalAccount.objects.all()
    }


def row_versions() -> dict[str, str]:
    """PostgreSQL's xmin changes whenever a row is rewritten, even with the same values."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT number, xmin::text FROM billing_personalaccount")
        return dict(cursor.fetchall())


EXPECTED = {
    "1000000001": (
        "г. Ивантеевка, ул. Толмачёва, д. 5, кв. 12",
        "Королёва Н. С.",
        "011552146",
        "active",
    ),
    "1000000002": ("г. Пушкино, Московский пр-т, д. 3", "Семёнов В. П.", "", "closed"),
}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251"])
@pytest.mark.parametrize("delimiter", [";", ","])
def test_csv_export_is_imported_in_either_encoding_and_delimiter(write_csv, encoding, delimiter):
    path = write_csv(ROWS, encoding=encoding, delimiter=delimiter)

    out, _ = run_import(path)

    assert registry() == EXPECTED
    assert "Создано: 2, обновлено: 0, без изменений: 0, закрыто: 0" in out


def test_xlsx_export_is_imported_and_numbers_stored_as_numbers_keep_their_leading_zeros(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Лицевой счёт", "Адрес", "ФИО", "Номер счётчика", "Статус"])
    sheet.append(
        [
            "1000000001",
            "г. Ивантеевка, ул. Толмачёва, д. 5, кв. 12",
            "Королёва Н. С.",
            "011552146",
            "Активен",
        ]
    )
    sheet.append([12345678, "г. Пушкино, ул. Горького, д. 1", "Иванов П. И.", 87654321, None])
    sheet.append([None, None, None, None, None])  # Excel's empty trailing rows
    path = tmp_path / "export.xlsx"
    workbook.save(path)

    out, _ = run_import(path)

    assert registry() == {
        "1000000001": EXPECTED["1000000001"],
        "0012345678": ("г. Пушкино, ул. Горького, д. 1", "Иванов П. И.", "87654321", "active"),
    }
    assert "Строк в файле: 2." in out


def test_columns_are_found_by_their_names_in_any_order_case_and_spelling(write_csv):
    path = write_csv(
        [["закрыт", "Семёнов В. П.", "1000000002", "г. Пушкино, Московский пр-т, д. 3", "x"]],
        header=("СОСТОЯНИЕ", "Владелец", "№ Л/С", "Адрес объекта", "Тариф"),
    )

    run_import(path)

    assert registry() == {
        "1000000002": ("г. Пушкино, Московский пр-т, д. 3", "Семёнов В. П.", "", "closed")
    }


def test_bad_rows_are_reported_with_row_value_and_reason_and_good_rows_imported(
    write_csv, tmp_path
):
    path = write_csv(
        [
            ROWS[0],
            ["12345", "г. Пушкино, ул. Горького, д. 1", "Иванов П. И.", "", ""],
            ["1000000003", "", "Петрова М. В.", "", "активен"],
            ["1000000004", "г. Пушкино, ул. Лесная, д. 2", "Попова О. Н.", "", "в архиве"],
            ["1000000001", "г. Ивантеевка, другой адрес", "Королёва Н. С.", "", ""],
            ["", "", "", "", ""],
            ROWS[1],
        ]
    )
    report = tmp_path / "rejected.csv"

    out, _ = run_import(path, "--report", str(report))

    assert registry() == EXPECTED
    assert "Строк в файле: 6. Создано: 2" in out and "отклонено строк: 4" in out
    with report.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream, delimiter=";"))
    assert rows[0] == ["Строка", "Столбец", "Значение", "Причина"]
    assert sorted(rows[1:]) == [
        ["3", "Лицевой счёт", "12345", "Номер лицевого счёта состоит из 10 цифр."],
        ["4", "Адрес", "", "Значение не указано."],
        ["5", "Статус", "в архиве", "Неизвестное состояние: ожидается «активен» или «закрыт»."],
        ["6", "Лицевой счёт", "1000000001", "Этот номер уже был в строке 2."],
    ]


def test_importing_the_same_file_again_changes_nothing(write_csv):
    path = write_csv(ROWS)
    run_import(path)
    before = row_versions()

    out, _ = run_import(path)

    assert "Создано: 0, обновлено: 0, без изменений: 2" in out
    assert row_versions() == before


def test_changed_rows_are_updated_and_only_they_are_rewritten(write_csv, make_account):
    run_import(write_csv(ROWS))
    before = row_versions()
    imported_at = PersonalAccount.objects.get(number="1000000002").imported_at
    changed = [
        ROWS[0],
        ["1000000002", "г. Пушкино, Московский пр-т, д. 3", "Семёнов В. П.", "", "активен"],
    ]

    out, _ = run_import(write_csv(changed))

    assert "Создано: 0, обновлено: 1, без изменений: 1" in out
    reopened = PersonalAccount.objects.get(number="1000000002")
    assert reopened.status == PersonalAccount.Status.ACTIVE
    assert reopened.imported_at > imported_at
    after = row_versions()
    assert after["1000000001"] == before["1000000001"]
    assert after["1000000002"] != before["1000000002"]


def test_full_import_closes_active_accounts_missing_from_the_file(write_csv, make_account):
    make_account("1000000009")
    make_account("1000000008", status=PersonalAccount.Status.CLOSED)

    out, _ = run_import(write_csv(ROWS), "--full")

    assert "закрыто: 1" in out
    assert PersonalAccount.objects.get(number="1000000009").status == PersonalAccount.Status.CLOSED


def test_without_full_accounts_missing_from_the_file_stay_as_they_are(write_csv, make_account):
    make_account("1000000009")

    run_import(write_csv(ROWS))

    assert PersonalAccount.objects.get(number="1000000009").status == PersonalAccount.Status.ACTIVE


def test_full_import_does_not_close_an_account_whose_row_was_only_rejected(write_csv, make_account):
    make_account("1000000009")

    run_import(write_csv([*ROWS, ["1000000009", "", "Королёва Н. С.", "", "активен"]]), "--full")

    assert PersonalAccount.objects.get(number="1000000009").status == PersonalAccount.Status.ACTIVE


def test_full_import_of_a_file_without_a_single_good_row_is_refused(write_csv, make_account):
    make_account("1000000009")

    with pytest.raises(CommandError, match="нет ни одной правильной строки"):
        run_import(write_csv([["12", "", "", "", ""]]), "--full")

    assert PersonalAccount.objects.get(number="1000000009").status == PersonalAccount.Status.ACTIVE


def test_a_file_without_the_required_columns_is_refused_with_what_is_missing(write_csv):
    path = write_csv([["1000000001", "Королёва Н. С."]], header=("Лицевой счёт", "ФИО"))

    with pytest.raises(CommandError, match="нет столбцов: «Адрес»"):
        run_import(path)


def test_a_fatal_error_midway_changes_nothing_and_leaves_no_report(tmp_path, make_account):
    make_account("1000000001", address="старый адрес")
    header = "Лицевой счёт;Адрес;ФИО;Номер счётчика;Статус\r\n"
    good = "".join(
        f"{1000000001 + i};г. Ивантеевка, ул. Трудовая, д. {i};Иванов П. И.;;\r\n"
        for i in range(2000)
    )
    # Read as UTF-8 from its first 64 KB, then a byte that is not UTF-8 far down the file.
    path = tmp_path / "broken.csv"
    path.write_bytes((header + good).encode() + "1000009999;Пушкино;Ёжиков;;\r\n".encode("cp1251"))
    report = tmp_path / "rejected.csv"

    with pytest.raises(
        CommandError, match=r"реестр не изменён\. Файл не читается в кодировке UTF-8"
    ):
        run_import(path, "--report", str(report))

    assert list(PersonalAccount.objects.values_list("number", "address")) == [
        ("1000000001", "старый адрес")
    ]
    assert not report.exists()
    assert not (tmp_path / "rejected.csv.part").exists()


def test_an_old_excel_file_is_refused_with_advice(tmp_path):
    path = tmp_path / "export.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)

    with pytest.raises(CommandError, match="сохраните файл как XLSX или CSV"):
        run_import(path)


def test_the_command_shows_progress_on_stderr(write_csv):
    _, err = run_import(write_csv(ROWS))

    assert "100%" in err
    assert "Обновление реестра" in err
