"""Benchmark, not a test: export one million readings to billing.

    DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/lkk \
        .venv/bin/python benchmarks/export_readings.py [--rows 1000000]

Creates (in SQL) as many accounts, meters and readings, then times `readings_export` (marking
every reading with the batch in one UPDATE) and `export_write` (COPY … TO STDOUT into a file),
as `manage.py export_readings` runs them, and the process's peak memory. Everything is rolled
back at the end: readings are append-only, so they are never deleted.
"""

import argparse
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
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from meters.services import export_write, readings_export  # noqa: E402

PREFIX = "7"


class Rollback(Exception):
    pass


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    width = settings.BILLING_ACCOUNT_NUMBER_LENGTH - len(PREFIX)
    try:
        with transaction.atomic():
            user = get_user_model().objects.create_user("bench-export@example.ru", "x")
            started = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO billing_personalaccount (number, address, holder_name, "
                    "meter_number, status, created_at, imported_at) "
                    "SELECT %s || lpad(i::text, %s, '0'), 'г. Пушкино', 'Иванов И. И.', '', "
                    "'active', now(), now() FROM generate_series(1, %s) AS i",
                    [PREFIX, width, args.rows],
                )
                cursor.execute(
                    "INSERT INTO meters_meter (account_id, serial_number, model, zones, digits, "
                    "decimals, tariff_category, remote_read, status, created_at, imported_at) "
                    "SELECT id, 'S' || id, '', 2, 6, 1, 'urban', false, 'active', now(), now() "
                    "FROM billing_personalaccount WHERE number LIKE %s",
                    [PREFIX + "%"],
                )
                cursor.execute(
                    "INSERT INTO meters_reading (number, meter_id, period, value_t1, value_t2, "
                    "jump_confirmed, rollover, source, user_id, submitted_at) "
                    "SELECT 'Б-' || m.id, m.id, date '2026-12-01', 12000.5, 5000, false, "
                    "false, 'web', %s, now() FROM meters_meter AS m "
                    "JOIN billing_personalaccount AS a ON a.id = m.account_id "
                    "WHERE a.number LIKE %s",
                    [user.pk, PREFIX + "%"],
                )
                cursor.execute("ANALYZE meters_reading")
            print(f"Prepared {args.rows:,} readings in {time.perf_counter() - started:.1f} s")
            started = time.perf_counter()
            batch = readings_export()
            marked = time.perf_counter() - started
            if batch is None:
                raise SystemExit("Nothing to export: the prepared readings were not found.")
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / "export.csv"
                started = time.perf_counter()
                with path.open("wb") as stream:
                    export_write(batch, stream)
                written = time.perf_counter() - started
                size = path.stat().st_size / 2**20
            print(
                f"Export of {batch.readings:,} readings: marked in {marked:.1f} s, file "
                f"({size:.0f} MB) written in {written:.1f} s, total {marked + written:.1f} s; "
                f"peak memory {peak_mb():.0f} MB"
            )
            raise Rollback
    except Rollback:
        print("Rolled back.")


if __name__ == "__main__":
    main()
