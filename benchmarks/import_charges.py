"""Benchmark, not a test: one month's charges for a million accounts (two lines each, about
2 M rows), then the payments for them.

    DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/lkk \
        .venv/bin/python benchmarks/import_charges.py [--accounts 1000000] [--keep]

Against the configured database (not a test database). Creates the accounts (numbers starting
with 8) through the registry import, then times: the charges import (all new), the same file
again (nothing changes), a corrected file (every month a new version), and the payments: all new,
the same again, every one corrected (`--payments-only` skips the charges).
Prints each time and the process's peak memory (`ru_maxrss`), which should stay flat in the
size of the file. Everything generated is deleted at the end unless --keep is given.
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
from django.db import connection  # noqa: E402

PREFIX = "8"
CHARGES_HEADER = (
    "Лицевой счёт", "Период", "№ строки", "Вид строки", "Услуга", "Зона", "Объём", "Источник",
    "Тариф", "Сумма", "Показание начальное", "Показание конечное", "Сальдо на начало",
    "Оплачено", "Сальдо на конец", "К оплате",
)  # fmt: skip


def numbers(count: int):
    width = settings.BILLING_ACCOUNT_NUMBER_LENGTH - len(PREFIX)
    for i in range(1, count + 1):
        yield i, PREFIX + str(i).zfill(width)


def write_accounts(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, delimiter=";")
        writer.writerow(("Лицевой счёт", "Адрес", "ФИО"))
        for i, number in numbers(count):
            writer.writerow((number, f"г. Ивантеевка, ул. Трудовая, д. {i % 97 + 1}", "Иванов"))


def write_charges(path: Path, count: int, *, extra_kopecks: int = 0) -> None:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, delimiter=";")
        writer.writerow(CHARGES_HEADER)
        for i, number in numbers(count):
            day, night = 150 + i % 120, 60 + i % 50
            day_sum = day * 834 + extra_kopecks  # kopecks
            night_sum = night * 327
            total = day_sum + night_sum
            totals = ("0", "0", f"{total / 100:.2f}", f"{total / 100:.2f}")
            writer.writerow((number, "11.2026", 1, "", "Электроэнергия", "день", day,
                             "показания", "8.34", f"{day_sum / 100:.2f}", 10000 + i % 5000,
                             10000 + i % 5000 + day, *totals))  # fmt: skip
            night_row = (number, "11.2026", 2, "", "Электроэнергия", "ночь", night, "среднее",
                         "3.27", f"{night_sum / 100:.2f}", "", "", *totals)  # fmt: skip
            writer.writerow(night_row)


def write_payments(path: Path, count: int, *, amount: str = "1500.00") -> None:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, delimiter=";")
        writer.writerow(("Номер платежа", "Лицевой счёт", "Дата платежа", "Сумма", "Способ",
                         "Зачтён за"))  # fmt: skip
        for i, number in numbers(count):
            writer.writerow((f"B{i}", number, "08.12.2026", amount, "банк", "11.2026"))


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(label: str, *command: str) -> None:
    started = time.perf_counter()
    call_command(*command)
    print(f"{label}: {time.perf_counter() - started:.1f} s; peak memory {peak_mb():.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--payments-only", action="store_true", help="skip the charges")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        accounts, charges, corrected, payments, payments_corrected = (
            Path(folder) / name
            for name in (
                "accounts.csv",
                "charges.csv",
                "corrected.csv",
                "payments.csv",
                "payments-corrected.csv",
            )
        )
        write_accounts(accounts, args.accounts)
        if not args.payments_only:
            write_charges(charges, args.accounts)
            write_charges(corrected, args.accounts, extra_kopecks=1)
            print(f"Charges written: {charges.stat().st_size / 2**20:.0f} MB")
        write_payments(payments, args.accounts)
        write_payments(payments_corrected, args.accounts, amount="1500.01")
        try:
            timed("registry (setup)", "import_accounts", str(accounts))
            if not args.payments_only:
                timed("charges, all new", "import_charges", str(charges))
                timed("charges, same file again", "import_charges", str(charges))
                timed("charges, every month corrected", "import_charges", str(corrected))
            timed("payments, all new", "import_payments", str(payments))
            timed("payments, same file again", "import_payments", str(payments))
            # Each payment's earlier values are kept as a PaymentVersion.
            timed("payments, every one corrected", "import_payments", str(payments_corrected))
        finally:
            if not args.keep:
                like = [PREFIX + "%"]
                with connection.cursor() as cursor:
                    account_ids = "SELECT id FROM billing_personalaccount WHERE number LIKE %s"
                    cursor.execute(
                        "DELETE FROM bills_chargeline WHERE charge_id IN (SELECT id FROM "  # noqa: S608
                        f"bills_charge WHERE account_id IN ({account_ids}))",
                        like,
                    )
                    for table in ("bills_charge", "bills_paymentversion", "bills_payment"):
                        cursor.execute(
                            f"DELETE FROM {table} WHERE account_id IN ({account_ids})",  # noqa: S608
                            like,
                        )
                    cursor.execute("DELETE FROM billing_personalaccount WHERE number LIKE %s", like)


if __name__ == "__main__":
    main()
