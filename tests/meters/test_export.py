"""`export_readings` hands every reading to billing exactly once, in numbered batches that can
be written again; the admin downloads the same file."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import ProgrammingError, transaction
from django.urls import reverse

from meters import services
from meters.models import ExportBatch, Reading

pytestmark = pytest.mark.django_db


@pytest.fixture
def passed(meter, holding, clock):
    def pass_reading(t1: int, t2: int) -> Reading:
        return services.reading_submit(
            meter=meter, user=holding.user, values={1: Decimal(t1), 2: Decimal(t2)}
        )

    return pass_reading


def rows(path):
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.reader(stream, delimiter=";"))


def export(tmp_path, *args) -> str:
    out = io.StringIO()
    call_command("export_readings", "--dir", str(tmp_path), *args, stdout=out)
    return out.getvalue()


def test_each_reading_is_exported_once_and_the_next_run_has_only_new_ones(tmp_path, passed):
    first = passed(12100, 5050)

    assert "Выгрузка № " in export(tmp_path)
    batch = ExportBatch.objects.get()
    file = rows(tmp_path / batch.file_name)
    assert file[0][:4] == ["Номер показания", "Лицевой счёт", "Заводской номер", "Расчётный месяц"]
    assert file[1][:7] == [
        first.number,
        "1000000001",
        "38124577",
        "12.2026",
        "12100.000",
        "5050.000",
        "",
    ]
    assert file[1][8:] == ["ЛК", str(batch.pk)]

    assert "выгружать нечего" in export(tmp_path)
    second = passed(12110, 5055)
    export(tmp_path)
    newer = ExportBatch.objects.latest("pk")
    assert [row[0] for row in rows(tmp_path / newer.file_name)[1:]] == [second.number]
    assert set(Reading.objects.values_list("export_batch", flat=True)) == {batch.pk, newer.pk}


def test_only_the_latest_reading_of_a_period_goes_in_a_batch_but_all_are_marked(tmp_path, passed):
    passed(12100, 5050)
    latest = passed(12110, 5055)

    export(tmp_path)

    batch = ExportBatch.objects.get()
    assert [row[0] for row in rows(tmp_path / batch.file_name)[1:]] == [latest.number]
    assert not Reading.objects.not_exported().exists()


def test_a_batch_can_be_written_again_identically(tmp_path, passed):
    passed(12100, 5050)
    export(tmp_path)
    batch = ExportBatch.objects.get()
    original = (tmp_path / batch.file_name).read_bytes()
    (tmp_path / batch.file_name).unlink()

    assert "записана заново" in export(tmp_path, "--batch", str(batch.pk))

    assert (tmp_path / batch.file_name).read_bytes() == original
    assert ExportBatch.objects.count() == 1


def test_a_failure_while_writing_marks_nothing(tmp_path, passed, monkeypatch):
    passed(12100, 5050)

    def broken(batch, stream):
        raise OSError("диск заполнен")

    monkeypatch.setattr("meters.management.commands.export_readings.export_write", broken)
    with pytest.raises(OSError):
        export(tmp_path)

    assert Reading.objects.not_exported().count() == 1
    assert not ExportBatch.objects.exists()
    assert not list(tmp_path.iterdir()) or all(p.suffix == ".part" for p in tmp_path.iterdir())


def test_the_database_refuses_to_move_an_exported_reading_or_change_its_values(passed):
    reading = passed(12100, 5050)
    batch = services.readings_export()
    other = ExportBatch.objects.create()

    with pytest.raises(ProgrammingError, match="Cannot"), transaction.atomic():
        Reading.objects.filter(pk=reading.pk).update(export_batch=other)
    with pytest.raises(ProgrammingError, match="Cannot"), transaction.atomic():
        Reading.objects.filter(pk=reading.pk).update(value_t1=1)
    with pytest.raises(ProgrammingError, match="Cannot"), transaction.atomic():
        Reading.objects.filter(pk=reading.pk).delete()
    assert Reading.objects.get().export_batch == batch


def test_staff_with_the_right_download_the_same_file(client, admin_user, passed, tmp_path):
    passed(12100, 5050)
    export(tmp_path)
    batch = ExportBatch.objects.get()
    client.force_login(admin_user)

    response = client.get(reverse("admin:meters_exportbatch_download", args=[batch.pk]))

    assert response.content == (tmp_path / batch.file_name).read_bytes()


def test_staff_without_the_right_cannot_download(client, django_user_model, passed):
    passed(12100, 5050)
    batch = services.readings_export()
    clerk = django_user_model.objects.create_user("clerk@ivsbyt.ru", "x", is_staff=True)
    client.force_login(clerk)

    response = client.get(reverse("admin:meters_exportbatch_download", args=[batch.pk]))

    assert response.status_code == 403
