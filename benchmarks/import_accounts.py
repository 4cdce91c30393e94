"""Benchmark, not a test: import a generated registry of one million лицевые счета.

    DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/lkk \
        .venv/bin/python benchmarks/import_accounts.py [--rows 1000000] [--xlsx] [--keep]

Runs `manage.py import_accounts` twice against the configured database (not a test database):
first with every account new, then the same file again (nothing changes). Prints the time of
each run and the process's peak memory (`ru_maxrss`). The generated accounts have numbers
starting with 9 and are deleted at the end unless --keep is given.
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

import openpyxl  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

HEADER = ("Лицевой счёт", "Адрес", "ФИО", "Номер счётчика", "Статус")
STREETS = ("ул. Толмачёва", "ул. Трудовая", "Советский пр-т", "Московский пр-т", "ул. Горького")
HOLDERS = ("Соловьёв А. В.", "Королёва Н. С.", "Иванов П. И.", "Смирнова Е. А.", "Семёнов В. П.")
PREFIX = "9"


def generated_rows(count: int):
    width = settings.BILLING_ACCOUNT_NUMBER_LENGTH - len(PREFIX)
    for i in range(1, count + 1):
        yield (
            PREFIX + str(i).zfill(width),
            f"Московская обл., г. Ивантеевка, {STREETS[i % 5]}, д. {i % 97 + 1}, кв. {i % 211 + 1}",
            HOLDERS[i % 5],
            str(10_000_000 + i * 7 % 89_999_999),
            "закрыт" if i % 50 == 0 else "активен",
        )


def write_csv(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, delimiter=";")
        writer.writerow(HEADER)
        writer.writerows(generated_rows(count))


def write_xlsx(path: Path, count: int) -> None:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEADER)
    for row in generated_rows(count):
        sheet.append(row)
    workbook.save(path)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--xlsx", action="store_true", help="an XLSX file instead of CSV")
    parser.add_argument("--keep", action="store_true", help="keep the generated accounts")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ("registry.xlsx" if args.xlsx else "registry.csv")
        started = time.perf_counter()
        (write_xlsx if args.xlsx else write_csv)(path, args.rows)
        print(
            f"Generated {args.rows:,} rows, {path.stat().st_size / 2**20:.0f} MB "
            f"in {time.perf_counter() - started:.1f} s; peak memory so far {peak_mb():.0f} MB"
        )
        try:
            for run in ("first import (all new)", "second import (nothing changed)"):
                started = time.perf_counter()
                call_command("import_accounts", str(path))
                print(f"{run}: {time.perf_counter() - started:.1f} s")
        finally:
            if not args.keep:
                with connection.cursor() as cursor:
                    cursor.execute(
                        "DELETE FROM billing_personalaccount WHERE number LIKE %s", [PREFIX + "%"]
                    )
    print(f"Peak memory of the process (ru_maxrss): {peak_mb():.0f} MB")


if __name__ == "__main__":
    main()
