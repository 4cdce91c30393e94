"""Benchmark, not a test: import a generated file of 1.2 million meters.

    DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/lkk \
        .venv/bin/python benchmarks/import_meters.py [--rows 1200000]

Creates as many лицевые счета (numbers starting with 8) in one SQL statement, writes a CSV with
one two-zone meter per account, and runs `manage.py import_meters` twice against the configured
database (not a test database): first with every meter new, then the same file again (nothing
changes). Prints the time of each run and the process's peak memory (`ru_maxrss`), which stays
flat because the file is streamed. Everything is rolled back at the end.
"""

import argparse
import csv
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lkk.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

HEADER = (
    "Лицевой счёт",
    "Заводской номер",
    "Модель",
    "Зон",
    "Разрядность",
    "Знаков после запятой",
    "Дата очередной поверки",
    "ИСУ",
    "Статус",
    "Показание Т1",
    "Показание Т2",
    "Дата показания",
)
PREFIX = "8"


class Rollback(Exception):
    pass


def number(i: int) -> str:
    return PREFIX + str(i).zfill(settings.BILLING_ACCOUNT_NUMBER_LENGTH - len(PREFIX))


def write_csv(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, delimiter=";")
        writer.writerow(HEADER)
        writer.writerows(
            (
                number(i),
                str(30_000_000 + i),
                "Меркурий 201.8",
                "2",
                "6",
                "1",
                f"{i % 28 + 1:02d}.0{i % 9 + 1}.2031",
                "да" if i % 20 == 0 else "нет",
                "в работе",
                f"{i % 90000 + 1000},{i % 10}",
                f"{i % 40000 + 500}",
                "20.11.2026",
            )
            for i in range(1, count + 1)
        )


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_200_000)
    args = parser.parse_args()
    width = settings.BILLING_ACCOUNT_NUMBER_LENGTH - len(PREFIX)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "meters.csv"
        started = time.perf_counter()
        write_csv(path, args.rows)
        size = path.stat().st_size / 2**20
        print(f"File: {args.rows:,} rows, {size:.0f} MB in {time.perf_counter() - started:.1f} s")
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute(
                        "INSERT INTO billing_personalaccount "
                        "(number, address, holder_name, meter_number, status, created_at, "
                        "imported_at) SELECT %s || lpad(i::text, %s, '0'), 'г. Пушкино', "
                        "'Иванов И. И.', '', 'active', now(), now() "
                        "FROM generate_series(1, %s) AS i ON CONFLICT DO NOTHING",
                        [PREFIX, width, args.rows],
                    )
                print(f"Memory before the imports: {peak_mb():.0f} MB peak")
                for run in ("all new", "unchanged"):
                    started = time.perf_counter()
                    call_command("import_meters", str(path))
                    elapsed = time.perf_counter() - started
                    print(f"Import ({run}): {elapsed:.1f} s, peak memory {peak_mb():.0f} MB")
                raise Rollback
        except Rollback:
            print("Rolled back.")


if __name__ == "__main__":
    main()
