"""A registry of realistic size: the import streams it, in bounded memory and in seconds."""

import csv
import time
import tracemalloc

import pytest

from billing.importer import registry_import
from billing.models import PersonalAccount

ROWS = 100_000


@pytest.mark.slow
@pytest.mark.django_db
def test_a_hundred_thousand_rows_import_in_seconds_without_holding_the_file_in_memory(tmp_path):
    path = tmp_path / "registry.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, delimiter=";")
        writer.writerow(("Лицевой счёт", "Адрес", "ФИО", "Номер счётчика", "Статус"))
        writer.writerows(
            (
                str(2_000_000_000 + i),
                f"Московская обл., г. Пушкино, Московский пр-т, д. {i % 97 + 1}, кв. {i % 211 + 1}",
                "Королёва Н. С.",
                str(10_000_000 + i),
                "активен",
            )
            for i in range(ROWS)
        )
    file_size = path.stat().st_size

    tracemalloc.start()
    started = time.perf_counter()
    try:
        with path.open("rb") as source:
            summary = registry_import(source)
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert (summary.created, summary.rejected) == (ROWS, 0)
    assert PersonalAccount.objects.count() == ROWS
    assert elapsed < 60, f"{ROWS} rows took {elapsed:.1f} s"
    # Python memory (tracemalloc, which also makes this test slower): the rows of a 15 MB file
    # held at once as Python strings would take several times the file's size.
    assert peak < file_size / 10, (
        f"peak {peak / 2**20:.1f} MB for a {file_size / 2**20:.1f} MB file"
    )
