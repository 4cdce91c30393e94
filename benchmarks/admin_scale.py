"""Benchmark: every admin list and search at a million people (issue 16).

    DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/lkk_dev \
        .venv/bin/python benchmarks/admin_scale.py [--users 1000000] [--runs 5] [--keep]

It works in a database of its own, named after the one in DATABASE_URL with `_bench` added
(`lkk_dev_bench`): it creates and migrates it, generates in SQL (generate_series) 1 M users,
5 M consent records, 1 M лицевые счета (600 000 of them linked) and 10 M page views (aggregated
as cron would), then opens every admin list through Django's test client as a superuser who
passed the second factor: each list as it opens, and the big tables' lists with a filter and
with a search. It prints for each the median of --runs openings: the wall time, this process's
CPU time and the queries' time in PostgreSQL — on a shared, busy machine the wall time mostly
measures the wait for a processor, and CPU+SQL is what a list costs — and drops the database
unless --keep is given; a kept database is used again as it is.
The data scale with --users (5 consent records, 1 лицевой счёт and 10 page views a person).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lkk.settings")
SOURCE_URL = os.environ.get("DATABASE_URL", "")
_parts = urlsplit(SOURCE_URL)
BENCH_NAME = f"{_parts.path.lstrip('/')}_bench"
os.environ["DATABASE_URL"] = urlunsplit(_parts._replace(path=f"/{BENCH_NAME}"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.admin import site  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from accounts.models import User  # noqa: E402
from visits.buffer import visit_buffer  # noqa: E402

SURNAMES = [
    "Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов",
    "Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров",
    "Павлов", "Козлов", "Степанов", "Николаев", "Орлов", "Андреев", "Макаров", "Никитин",
    "Захаров", "Зайцев", "Соловьёв", "Борисов", "Яковлев", "Григорьев", "Романов", "Воробьёв",
    "Сергеев", "Кузьмин", "Фролов", "Александров", "Дмитриев", "Королёв", "Гусев", "Киселёв",
]  # fmt: skip
FIRST_NAMES = [
    "Александр", "Сергей", "Дмитрий", "Андрей", "Алексей", "Елена", "Ольга", "Наталья",
    "Татьяна", "Ирина", "Михаил", "Анна", "Мария", "Иван", "Светлана",
]  # fmt: skip
PATHS = ["/", "/login/", "/consents/", "/bills/", "/readings/", "/privacy/", "/feedback/"]

# Each statement scales with %(users)s; `session_replication_role = replica` (set around them)
# skips the foreign-key and evidence triggers, which would only slow the generation down.
GENERATE = {
    "users": """
INSERT INTO accounts_user (password, is_superuser, email, last_name, first_name, patronymic,
                           phone, is_active, is_staff, date_joined, awaiting_email_confirmation)
SELECT '!', false, 'person' || g || '@example.ru',
       (%(surnames)s::text[])[1 + g %% cardinality(%(surnames)s::text[])]
           || CASE WHEN (g / 40) %% 2 = 0 THEN '' ELSE 'а' END,
       (%(first_names)s::text[])[1 + (g / 7) %% cardinality(%(first_names)s::text[])],
       '', '+79' || lpad(((g::bigint * 7919) %% 1000000000)::text, 9, '0'),
       g %% 20 <> 0, false, now() - (g::float8 / %(users)s) * interval '1000 days', false
FROM generate_series(1, %(users)s) AS g
""",
    "consent records": """
INSERT INTO consents_consentrecord (action, created_at, ip_address, user_agent, source,
    representative_name, represented_name, basis_document_type, basis_document_number,
    document_number, purpose_id, user_id, text_id)
SELECT CASE WHEN g %% 7 = 0 THEN 'withdrawn' ELSE 'given' END,
       now() - random() * interval '1000 days',
       '10.0.0.0'::inet + (g %% 16000000), 'Mozilla/5.0', 'profile', '', '', '', '', '',
       text.purpose_id, users.first + g %% %(users)s, text.id
FROM generate_series(1, 5 * %(users)s) AS g
CROSS JOIN (SELECT min(id) AS first FROM accounts_user) AS users
JOIN consents_consenttext AS text
  ON text.id = (SELECT min(id) FROM consents_consenttext) + g %% 2
""",
    "лицевые счета": """
INSERT INTO billing_personalaccount (number, address, holder_name, meter_number, status,
                                     created_at, imported_at)
SELECT '5' || lpad(g::text, %(number_length)s - 1, '0'),
       'г. Иваново, ул. Лесная, д. ' || g %% 300 || ', кв. ' || g %% 120,
       (%(surnames)s::text[])[1 + g %% cardinality(%(surnames)s::text[])] || ' И. И.',
       lpad((g * 37)::text, 8, '0'), CASE WHEN g %% 10 = 0 THEN 'closed' ELSE 'active' END,
       now() - interval '400 days', now() - random() * interval '400 days'
FROM generate_series(1, %(users)s) AS g
""",
    "account links": """
INSERT INTO billing_accountlink (factor, linked_at, unlink_reason, user_id, account_id)
SELECT CASE WHEN g %% 3 = 0 THEN 'meter' ELSE 'surname' END,
       now() - random() * interval '400 days', '', users.first + g, accounts.first + g
FROM generate_series(0, %(users)s * 6 / 10 - 1) AS g
CROSS JOIN (SELECT min(id) AS first FROM accounts_user) AS users
CROSS JOIN (SELECT min(id) AS first FROM billing_personalaccount) AS accounts
""",
    "page views": """
INSERT INTO visits_visit (time, ip, user_id, path, referrer, browser, status, duration_ms)
SELECT now() - (1 - g::float8 / (10 * %(users)s)) * %(retention)s * interval '1 day',
       '10.0.0.0'::inet + (g %% 300000), NULL,
       (%(paths)s::text[])[1 + g %% cardinality(%(paths)s::text[])], '', 'Chrome',
       CASE WHEN g %% 50 = 0 THEN 404 ELSE 200 END, 20 + g %% 300
FROM generate_series(1, 10 * %(users)s) AS g
""",
}


def timed(function) -> float:
    started = time.perf_counter()
    function()
    return (time.perf_counter() - started) * 1000


def server(dbname: str = "postgres") -> psycopg.Connection:
    return psycopg.connect(urlunsplit(_parts._replace(path=f"/{dbname}")), autocommit=True)


def bench_database_exists() -> bool:
    with server() as admin_connection:
        found = admin_connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_NAME]
        ).fetchone()
    return found is not None


def create_and_generate(users: int) -> None:
    with server() as admin_connection:
        admin_connection.execute(f'CREATE DATABASE "{BENCH_NAME}"')
    call_command("migrate", verbosity=0)
    parameters = {
        "users": users,
        "surnames": SURNAMES,
        "first_names": FIRST_NAMES,
        "paths": PATHS,
        "number_length": settings.BILLING_ACCOUNT_NUMBER_LENGTH,
        "retention": settings.VISIT_RETENTION_DAYS - 1,
    }
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        for what, sql in GENERATE.items():
            ms = timed(lambda sql=sql: cursor.execute(sql, parameters))
            print(f"generated {what}: {cursor.rowcount:,} rows in {ms / 1000:.0f} s", flush=True)
        cursor.execute("SET session_replication_role = DEFAULT")
        ms = timed(lambda: call_command("aggregate_visits", verbosity=0))
        print(f"aggregate_visits: {ms / 1000:.0f} s", flush=True)
        ms = timed(lambda: cursor.execute("VACUUM ANALYZE"))
        print(f"VACUUM ANALYZE: {ms / 1000:.0f} s", flush=True)


def drop_database() -> None:
    visit_buffer.stop()  # the benchmark's own page views, written while the database is there
    connection.close()
    with server() as admin_connection:
        admin_connection.execute(f'DROP DATABASE IF EXISTS "{BENCH_NAME}" WITH (FORCE)')
    print(f"database {BENCH_NAME} dropped")


def superuser_client() -> Client:
    """A superuser signed in with both factors, as `tests.conftest.PortalClient` signs in."""
    user, _ = User.objects.get_or_create(
        email="benchmark-admin@example.ru", defaults={"is_staff": True, "is_superuser": True}
    )
    device, _ = TOTPDevice.objects.get_or_create(user=user, defaults={"name": "benchmark"})
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def sample_values() -> dict[str, str]:
    """Values for the searches and filters, taken from the generated data (the middle)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, email, phone FROM accounts_user WHERE email LIKE 'person%'"
            " ORDER BY id OFFSET (SELECT count(*) / 2 FROM accounts_user) LIMIT 1"
        )
        user_id, email, phone = cursor.fetchone()
        cursor.execute(
            "SELECT number FROM billing_personalaccount"
            " ORDER BY id OFFSET (SELECT count(*) / 2 FROM billing_personalaccount) LIMIT 1"
        )
        (number,) = cursor.fetchone()
        cursor.execute("SELECT min(id) FROM consents_consentpurpose")
        (purpose,) = cursor.fetchone()
    return {
        "user": str(user_id),
        "email": email,
        "email_part": email.split("@")[0],
        "phone": phone,
        "number": number,
        "purpose": str(purpose),
    }


def lists_to_open(values: dict[str, str]) -> list[tuple[str, str]]:
    """Every registered admin's list as it opens, then filters and searches of the big ones."""
    urls = []
    for model in sorted(site._registry, key=lambda model: model._meta.label):
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        urls.append((model._meta.label, url))
    users = reverse("admin:accounts_user_changelist")
    records = reverse("admin:consents_consentrecord_changelist")
    accounts = reverse("admin:billing_personalaccount_changelist")
    links = reverse("admin:billing_accountlink_changelist")
    visits = reverse("admin:visits_visit_changelist")
    month = timezone.localtime().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return [
        *urls,
        ("users: inactive", f"{users}?is_active__exact=0"),
        ("users: search a surname", f"{users}?q=Соловьёва"),
        ("users: search an address", f"{users}?q={values['email']}"),
        ("users: search part of an address", f"{users}?q={values['email_part']}"),
        ("users: search a phone", f"{users}?q={values['phone']}"),
        ("users: search, no match", f"{users}?q=Неттакого"),
        ("consent records: a purpose", f"{records}?purpose__id__exact={values['purpose']}"),
        ("consent records: withdrawals", f"{records}?action__exact=withdrawn"),
        ("consent records: this month", f"{records}?{urlencode({'created_at__gte': month})}"),
        ("consent records: a person's history", f"{records}?user__id__exact={values['user']}"),
        ("consent records: search an address", f"{records}?q={values['email']}"),
        ("consent records: search part of one", f"{records}?q={values['email_part']}"),
        ("лицевые счета: closed", f"{accounts}?status__exact=closed"),
        ("лицевые счета: search a number", f"{accounts}?q={values['number']}"),
        ("links: meter", f"{links}?factor__exact=meter"),
        ("links: search a number", f"{links}?q={values['number']}"),
        ("links: search an address", f"{links}?q={values['email']}"),
        ("visit statistics: 90 days", f"{visits}?days=90"),
    ]


def measure(client: Client, runs: int, values: dict[str, str]) -> list[float]:
    """Each list's median wall time, and what it costs without waiting for a busy machine's
    processor: this process's CPU time plus the queries' time in PostgreSQL."""
    print(
        f"\n{'list':<42} {'wall ms':>8} {'CPU ms':>7} {'SQL ms':>7} {'CPU+SQL':>8} {'queries':>8}"
    )
    costs = []
    for label, url in lists_to_open(values):
        client.get(url)  # the first opening compiles templates and warms caches
        walls, cpus, sqls = [], [], []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as queries:
                started, cpu_started = time.perf_counter(), time.process_time()
                response = client.get(url)
                cpus.append((time.process_time() - cpu_started) * 1000)
                walls.append((time.perf_counter() - started) * 1000)
            sqls.append(sum(float(query["time"]) for query in queries.captured_queries) * 1000)
        cpu, sql = statistics.median(cpus), statistics.median(sqls)
        costs.append(cpu + sql)
        flag = "" if cpu + sql < 300 else "  ← over 300 ms"
        if response.status_code != 200:
            flag += f"  ← answered {response.status_code}"
        print(
            f"{label:<42} {statistics.median(walls):>8.0f} {cpu:>7.0f} {sql:>7.0f}"
            f" {cpu + sql:>8.0f} {len(queries):>8}{flag}",
            flush=True,
        )
    return costs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the database for the next run")
    arguments = parser.parse_args()
    if not settings.DEBUG or not SOURCE_URL:
        sys.exit("Only with DEBUG=true and DATABASE_URL: it makes a database of its own.")
    # The test client's host; no setup_test_environment(), whose template instrumentation
    # would be measured too.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    try:
        if bench_database_exists():
            print(f"using the kept database {BENCH_NAME}")
            call_command("migrate", verbosity=0)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        else:
            create_and_generate(arguments.users)
        client = superuser_client()
        costs = measure(client, arguments.runs, sample_values())
        print(
            f"\nCPU+SQL: slowest {max(costs):.0f} ms; over 300 ms: {sum(c >= 300 for c in costs)}"
        )
    finally:
        if not arguments.keep:
            drop_database()


if __name__ == "__main__":
    main()
