"""The billing files about meters go through the one exchange engine: meters, tariffs, the
outcome of each reading passed, and monthly volumes. Idempotent, with a reject report."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from meters.models import Meter, MonthlyVolume, Reading, ReadingOutcome, Tariff

pytestmark = pytest.mark.django_db

METER_HEADER = (
    "Лицевой счёт",
    "Заводской номер",
    "Модель",
    "Зон",
    "Разрядность",
    "Знаков после запятой",
    "Категория",
    "Дата установки",
    "Дата очередной поверки",
    "ИСУ",
    "Статус",
    "Показание Т1",
    "Показание Т2",
    "Показание Т3",
    "Дата показания",
)
METER_ROW = [
    "1000000001",
    "38124577",
    "Меркурий 201.8",
    "2",
    "6",
    "1",
    "город",
    "01.03.2020",
    "01.03.2036",
    "нет",
    "в работе",
    "12000,5",
    "5000",
    "",
    "20.11.2026",
]


@pytest.fixture
def write(tmp_path):
    def write_file(header, rows, *, encoding="utf-8", name="file.csv"):
        text = io.StringIO()
        writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
        path = tmp_path / name
        path.write_bytes(text.getvalue().encode(encoding))
        return path

    return write_file


def run(command, path, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command(command, str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_meters_are_imported_in_cp1251_and_again_change_nothing(write, account):
    path = write(METER_HEADER, [METER_ROW], encoding="cp1251")

    out, err = run("import_meters", path)

    meter = Meter.objects.get()
    assert (meter.account, meter.zones, meter.digits, meter.decimals) == (account, 2, 6, 1)
    assert meter.last_value_t1 == Decimal("12000.5") and meter.last_value_t3 is None
    assert meter.verification_due == datetime.date(2036, 3, 1) and not meter.remote_read
    assert "Создано: 1" in out and "100%" in err and "Обновление счётчиков" in err
    assert "Создано: 0, обновлено: 0, без изменений: 1" in run("import_meters", path)[0]


def test_bad_meter_rows_are_reported_and_the_good_ones_imported(write, account, tmp_path):
    rows = [
        METER_ROW,
        ["1000000009", "1", "", "1", "6", "0", "", "", "", "", "", "5", "", "", ""],
        ["1000000001", "2", "", "4", "6", "0", "", "", "", "", "", "", "", "", ""],
        ["1000000001", "3", "", "1", "5", "0", "", "", "", "", "", "5", "7", "", ""],
        ["1000000001", "4", "", "1", "5", "0", "", "", "", "", "", "100000", "", "", ""],
        ["1000000001", "38124577", "", "1", "6", "0", "", "", "", "", "", "", "", "", ""],
    ]
    report = tmp_path / "rejected.csv"

    out, _ = run("import_meters", write(METER_HEADER, rows), "--report", str(report))

    assert list(Meter.objects.values_list("serial_number", flat=True)) == ["38124577"]
    with report.open(encoding="utf-8-sig") as stream:
        reasons = {row[0]: row[3] for row in list(csv.reader(stream, delimiter=";"))[1:]}
    assert reasons == {
        "3": "Лицевого счёта нет в реестре: сначала загрузите реестр (import_accounts).",
        "4": "Ожидается целое число от 1 до 3.",
        "5": "Показаний по зонам больше, чем зон у счётчика.",
        "6": "Показание не помещается в разрядность счётчика.",
        "7": "Эта строка уже была в строке 2.",
    }
    assert "отклонено строк: 5" in out


def test_a_full_meter_import_removes_meters_missing_from_it(write, account, make_meter):
    make_meter(serial_number="old")

    run("import_meters", write(METER_HEADER, [METER_ROW]), "--full")

    assert dict(Meter.objects.values_list("serial_number", "status")) == {
        "old": Meter.Status.CLOSED,
        "38124577": Meter.Status.ACTIVE,
    }


def test_tariffs_are_imported_and_updated_by_their_start_date(write):
    header = ("Категория", "Зон", "Зона", "Действует с", "Действует по", "Цена")
    path = write(header, [["город", "2", "1", "01.07.2026", "", "9,34"]])
    run("import_tariffs", path)
    run("import_tariffs", write(header, [["город", "2", "1", "01.07.2026", "", "9,40"]]))

    tariff = Tariff.objects.get()
    assert (tariff.zone, tariff.price) == (1, Decimal("9.4000"))
    with pytest.raises(CommandError, match=r"тарифы не изменены\. В первой строке нет столбцов"):
        run("import_tariffs", write(("Категория",), [["город"]], name="bad.csv"))


def test_outcomes_come_back_per_reading_and_a_corrected_one_replaces_it(
    write, meter, alice, tmp_path
):
    for number in ("ПП-2026-000001", "ПП-2026-000002"):
        Reading.objects.create(
            number=number,
            meter=meter,
            period="2026-11-01",
            value_t1=12000,
            value_t2=5000,
            source="web",
            user=alice,
        )
    header = ("Номер показания", "Учтено", "Расчётный месяц", "Причина")
    report = tmp_path / "r.csv"
    path = write(
        header,
        [
            ["ПП-2026-000001", "да", "11.2026", ""],
            ["ПП-2026-000002", "нет", "", "показания меньше контрольного снятия"],
            ["ПП-2026-999999", "да", "11.2026", ""],
            ["ПП-2026-000001", "нет", "", ""],
        ],
    )

    run("import_reading_outcomes", path, "--report", str(report))

    outcomes = {o.reading.number: o for o in ReadingOutcome.objects.select_related("reading")}
    assert outcomes["ПП-2026-000001"].billed_month == datetime.date(2026, 11, 1)
    assert not outcomes["ПП-2026-000002"].accepted
    assert outcomes["ПП-2026-000002"].reason == "показания меньше контрольного снятия"
    rejected = report.read_text(encoding="utf-8-sig")
    assert "Показания с таким номером портал не передавал." in rejected
    assert "Этот номер уже был в строке 2." in rejected

    run("import_reading_outcomes", write(header, [["ПП-2026-000001", "нет", "", "повтор"]]))
    assert ReadingOutcome.objects.get(reading__number="ПП-2026-000001").reason == "повтор"


def test_monthly_volumes_come_with_their_source(write, meter):
    header = ("Лицевой счёт", "Заводской номер", "Месяц", "Источник", "Объём Т1", "Объём Т2")
    path = write(
        header,
        [
            ["1000000001", "38124577", "10.2026", "показания потребителя", "210", "95"],
            ["1000000001", "38124577", "11.2026", "норматив", "180", "90"],
            ["1000000001", "nope", "11.2026", "ИСУ", "1", ""],
        ],
    )

    out, _ = run("import_volumes", path)

    assert list(MonthlyVolume.objects.order_by("month").values_list("month", "source")) == [
        (datetime.date(2026, 10, 1), "consumer"),
        (datetime.date(2026, 11, 1), "norm"),
    ]
    assert "отклонено строк: 1" in out
