"""Benchmark, not a test: queue a month's receipt letters for many consumers.

    DEBUG=true TASKS_BACKEND=django_tasks_db.DatabaseBackend \
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lkk \
        .venv/bin/python benchmarks/receipt_letters.py [--people 1000000]

Against the configured database (not a test database). Makes that many consumers (emails
`bench-…@example.invalid`), each with an account (numbers starting with 7), a link, the electronic
receipt chosen and a month of charges, all in SQL; then times `receipt_letters_start` — the
recipients read page by page (keyset, 500 a page, each its own short query: no transaction open
over them all) and one task queued per page — without running the tasks. Deletes everything it
made at the end (the queued tasks too).
"""

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lkk.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

from bills.services import receipt_letters_start  # noqa: E402

PERIOD = datetime.date(2026, 11, 1)
SETUP = """
INSERT INTO accounts_user (password, is_superuser, email, last_name, first_name, patronymic,
    phone, is_active, is_staff, date_joined, awaiting_email_confirmation)
SELECT '!', false, 'bench-' || i || '@example.invalid', 'Иванов', 'Иван', '', '', true, false,
    now(), false
FROM generate_series(1, %(people)s) AS i;
INSERT INTO billing_personalaccount (number, address, holder_name, meter_number, status,
    created_at, imported_at)
SELECT '7' || lpad(i::text, %(width)s, '0'), 'г. Пушкино', 'Иванов И.', '', 'active', now(), now()
FROM generate_series(1, %(people)s) AS i;
INSERT INTO billing_accountlink (user_id, account_id, factor, linked_at, unlink_reason)
SELECT u.id, a.id, 'surname', now(), ''
FROM accounts_user u
JOIN billing_personalaccount a
  ON a.number = '7' || lpad(substring(u.email from 'bench-(\\d+)@'), %(width)s, '0')
WHERE u.email LIKE 'bench-%%';
INSERT INTO bills_electronicreceiptchoice (account_id, user_id, electronic, chosen_at)
SELECT account_id, user_id, true, now() FROM billing_accountlink l
JOIN billing_personalaccount a ON a.id = l.account_id WHERE a.number LIKE '7%%';
INSERT INTO bills_charge (account_id, period, version, opening_balance, charged, paid,
    closing_balance, amount_due, due_date, digest, imported_at)
SELECT id, %(period)s, 1, 0, 1500, 0, 1500, 1500, '2026-12-15', 'bench', now()
FROM billing_personalaccount WHERE number LIKE '7%%';
ANALYZE;
"""
CLEANUP = """
DELETE FROM django_tasks_database_dbtaskresult
    WHERE task_path = 'bills.tasks.receipt_letters_batch_send';
DELETE FROM bills_charge WHERE account_id IN
    (SELECT id FROM billing_personalaccount WHERE number LIKE '7%%');
DELETE FROM bills_electronicreceiptchoice WHERE account_id IN
    (SELECT id FROM billing_personalaccount WHERE number LIKE '7%%');
DELETE FROM billing_accountlink WHERE account_id IN
    (SELECT id FROM billing_personalaccount WHERE number LIKE '7%%');
DELETE FROM billing_personalaccount WHERE number LIKE '7%%';
DELETE FROM accounts_user WHERE email LIKE 'bench-%%';
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    args = parser.parse_args()
    width = settings.BILLING_ACCOUNT_NUMBER_LENGTH - 1
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(SETUP, {"people": args.people, "width": width, "period": PERIOD})
    print(f"Set up {args.people:,} consumers in {time.perf_counter() - started:.1f} s")
    try:
        started = time.perf_counter()
        queued = receipt_letters_start(period=PERIOD)
        print(f"Queued letters for {queued:,} consumers in {time.perf_counter() - started:.1f} s")
    finally:
        with connection.cursor() as cursor:
            cursor.execute(CLEANUP)


if __name__ == "__main__":
    main()
