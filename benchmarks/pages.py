"""Benchmark, not a test: the consumer pages against bare Django, side by side in one run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lkk_bench make bench
    # or: .venv/bin/python benchmarks/pages.py [--duration 5] [--rounds 3] [--cache-db 11]

Starts, on this machine and at the same time, the portal production-like (gunicorn with
`--workers` sync workers, DEBUG off, `collectstatic` done, the Redis cache
`redis://127.0.0.1:6379/<--cache-db>`, emptied first), the portal again without visit logging, and
the bare Django app of `benchmarks/bare/` (the `startproject` middleware, a view answering "ok"
and a view making 5 primary-key queries against the same PostgreSQL). The database in
DATABASE_URL is migrated and given the demo data (`seed_demo`) and a consumer with 200 consent
records; the signed-in pages are fetched with real sessions (rows in the sessions table, as a
sign-in leaves them) and the CSRF cookie a signed-in browser holds.

Load comes from wrk (Debian/Ubuntu: `apt-get install wrk`; macOS: `brew install wrk`): one C
process with two threads keeps 16 connections busy for a fraction of a core, where a Python load
generator would need about as much CPU as the servers it measures and, on a 2-core machine,
would measure itself. Every pair (a portal page and its reference) is measured back to back in
each round, rounds interleaved; the ratio printed is the median of the rounds' ratios. The
price of visit logging is a few per cent, less than the machine's drift between two runs of a
few seconds (the same server measured twice, back to back, differs by up to 15 % a round): that
pair is measured at the same moment instead, each server from its own wrk with half the
connections, so that every slowdown of the machine falls on both alike. Absolute
requests per second depend on the machine and on what else runs on it; the ratios of one run are
what to compare.
"""

import argparse
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))

BENCH_CONSUMER = "bench-consents@example.ru"
CONSENT_RECORDS = 200
# Every request comes through the load balancer over HTTPS (production redirects plain HTTP).
HTTPS = {"X-Forwarded-Proto": "https"}


@dataclass(frozen=True)
class Target:
    server: str  # "portal", "portal_without_visits" or "bare"
    path: str
    cookie: str = ""
    expect: str = (
        ""  # a string the page must contain: the right page, signed in as the right person
    )


@dataclass(frozen=True)
class Pair:
    name: str
    page: Target
    reference: Target
    goal: str
    minimum: float | None  # the ratio the issue asks for; None: printed only
    maximum_cost: float | None = None  # for visit logging: 1 - ratio must stay under this
    # Both under load at the same moment, each with half the connections: for a difference of a
    # few per cent, which the machine's drift between back-to-back runs would hide.
    together: bool = False


def production_env(database_url: str, cache_db: int, metrics_dir: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DEBUG="false",
        DATABASE_URL=database_url,
        CACHE_URL=f"redis://127.0.0.1:6379/{cache_db}",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        PROMETHEUS_MULTIPROC_DIR=metrics_dir,  # as `make serve` runs it
    )
    return env


def prepare(env: dict[str, str], *, seed: bool) -> tuple[str, str]:
    """Migrates, seeds, collects static files; returns the two consumers' session cookies."""
    manage = [PYTHON, str(ROOT / "manage.py")]
    if seed:
        subprocess.run([*manage, "migrate", "--no-input", "--verbosity", "0"], env=env, check=True)
        development = dict(env, DEBUG="true")
        subprocess.run(
            [*manage, "seed_demo"], env=development, check=True, stdout=subprocess.DEVNULL
        )
    subprocess.run(
        [*manage, "collectstatic", "--no-input", "--verbosity", "0"], env=env, check=True
    )
    script = """
import django
django.setup()
from benchmarks.pages import seed_and_sign_in
seed_and_sign_in()
"""
    result = subprocess.run(
        [PYTHON, "-c", script],
        env=dict(env, DJANGO_SETTINGS_MODULE="lkk.settings", PYTHONPATH=str(ROOT)),
        check=True,
        capture_output=True,
        text=True,
    )
    dashboard_cookie, consents_cookie = result.stdout.split()[-2:]
    return dashboard_cookie, consents_cookie


def seed_and_sign_in() -> None:
    """Run inside the portal's settings: the 200-record consumer, both sessions, an empty cache.

    Prints the demo consumer's and the 200-record consumer's session cookies.
    """
    from datetime import timedelta

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from consents.models import ConsentRecord, ConsentText
    from lkk.management.commands.seed_demo import DEMO_CONSUMER
    from privacy.models import PolicyVersion

    cache.clear()
    User = get_user_model()
    consumer, created = User.objects.get_or_create(
        email=BENCH_CONSUMER, defaults={"last_name": "Скамейкина", "first_name": "Вера"}
    )
    if created or consumer.consent_records.count() != CONSENT_RECORDS:
        consumer.consent_records.all().delete()
        texts = {text.purpose.code: text for text in ConsentText.objects.order_by("version")}
        policy = PolicyVersion.objects.current()
        now = timezone.now()
        # The account consent under the policy in force (no renewal asked), then 199 changes
        # of mind about the mailings, one a day, oldest first.
        records = [
            ConsentRecord(
                user=consumer,
                purpose=texts["mailings"].purpose,
                text=texts["mailings"],
                action="given" if number % 2 == 0 else "withdrawn",
                policy_version=policy,
                created_at=now - timedelta(days=CONSENT_RECORDS - number),
                ip_address="198.51.100.23",
                user_agent="benchmark",
                source="profile",
            )
            for number in range(CONSENT_RECORDS - 1)
        ]
        records.append(
            ConsentRecord(
                user=consumer,
                purpose=texts["account"].purpose,
                text=texts["account"],
                action="given",
                policy_version=policy,
                created_at=now,
                ip_address="198.51.100.23",
                user_agent="benchmark",
                source="registration",
            )
        )
        ConsentRecord.objects.bulk_create(records)
    cookies = []
    for email in (DEMO_CONSUMER[0], BENCH_CONSUMER):
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(User.objects.get(email=email))  # a session row, as a sign-in leaves
        # and the CSRF cookie a browser holds once signed in (the sign-in gives a new one)
        client.get(reverse("billing:dashboard"), secure=True)
        names = (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME)
        cookies.append(";".join(f"{name}={client.cookies[name].value}" for name in names))
    print(*cookies)


def start(name: str, env: dict[str, str], port: int, workers: int) -> subprocess.Popen:
    if name == "bare":
        app, env = "bare.wsgi", dict(env, DJANGO_SETTINGS_MODULE="bare.settings")
    elif name == "portal_without_visits":
        app, env = "lkk.wsgi", dict(env, DJANGO_SETTINGS_MODULE="bare.portal_without_visits")
    else:
        app = "lkk.wsgi"
    command = [GUNICORN, app, "--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
    command += ["--no-control-socket"]  # three servers side by side: one shared path otherwise
    command += ["--chdir", str(ROOT), "--pythonpath", f"{ROOT},{ROOT / 'benchmarks'}"]
    return subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def fetch(url: str, cookie: str) -> tuple[int, str]:
    headers = dict(HTTPS, Cookie=cookie) if cookie else HTTPS
    request = urllib.request.Request(url, headers=headers)
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def wait_until_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if fetch(url, "")[0] < 500:
                return
        except OSError:
            pass
        time.sleep(0.3)
    sys.exit(f"{url} did not answer in {seconds:.0f} s")


def wrk(url: str, cookie: str, seconds: float, connections: int) -> float:
    command = ["wrk", "--threads", "2", "--connections", str(connections)]
    # A long timeout: on a busy machine a slow answer is still an answer, not an error.
    command += ["--duration", f"{seconds:g}s", "--timeout", "30s"]
    command += ["--header", "X-Forwarded-Proto: https"]
    if cookie:
        command += ["--header", f"Cookie: {cookie}"]
    output = subprocess.run([*command, url], check=True, capture_output=True, text=True).stdout
    if "Non-2xx" in output or "Socket errors" in output:
        sys.exit(f"wrk saw errors on {url}:\n{output}")
    found = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if found is None:
        sys.exit(f"wrk printed no rate for {url}:\n{output}")
    return float(found.group(1))


def drain(base_url: str, workers: int) -> None:
    """Waits until the server has answered what wrk left queued when it stopped.

    A sync worker serves one request at a time; wrk's connections leave requests in the
    server's queue, which would otherwise be served during the next measurement. One cheap
    request per worker, all at once, returns when every worker has come to them.
    """
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(lambda _: fetch(base_url, ""), range(workers)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=float, default=5, help="seconds of each wrk run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=5, help="gunicorn sync workers per server")
    parser.add_argument("--cache-db", type=int, default=11, help="Redis database number")
    parser.add_argument("--only", help="measure only the pairs whose name contains this")
    parser.add_argument(
        "--no-seed", action="store_true", help="the database is migrated and seeded already"
    )
    options = parser.parse_args()

    if shutil.which("wrk") is None:
        sys.exit(
            "wrk is not installed: `apt-get install wrk` (Debian, Ubuntu) or `brew install wrk`."
        )
    database_url = os.environ.get("DATABASE_URL")
    if not database_url:
        sys.exit("Set DATABASE_URL to a database for the benchmark (it is migrated and seeded).")

    metrics_dir = tempfile.mkdtemp(prefix="lkk-bench-metrics-")
    env = production_env(database_url, options.cache_db, metrics_dir)
    print("Preparing the database, the static files and the sessions…", flush=True)
    dashboard_cookie, consents_cookie = prepare(env, seed=not options.no_seed)

    ports = {"portal": 8301, "portal_without_visits": 8302, "bare": 8303}
    for port in ports.values():
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                sys.exit(f"Port {port} is taken (another benchmark running?): nothing measured.")
    health = {"portal": "/healthz", "portal_without_visits": "/healthz", "bare": "/ok"}
    servers = [start(name, env, port, options.workers) for name, port in ports.items()]
    try:
        for name, port in ports.items():
            wait_until_up(f"http://127.0.0.1:{port}{health[name]}")
        ok = Target("bare", "/ok", expect="ok")
        five = Target("bare", "/five-queries")
        policy = "/politika-obrabotki-i-zashchity-personalnykh-dannykh"
        pairs = [
            Pair(
                "dashboard, signed in ÷ 5 PK queries",
                Target("portal", "/kabinet/", dashboard_cookie, "Здравствуйте, Мария"),
                five,
                "≥ 0.80",
                0.80,
            ),
            Pair(
                'policy page, anonymous ÷ "ok"',
                Target("portal", policy, expect="<h1"),
                ok,
                "≥ 0.50",
                0.50,
            ),
            Pair(
                'home, anonymous ÷ "ok"', Target("portal", "/", expect="hero"), ok, "≥ 0.50", 0.50
            ),
            Pair(
                'login page, anonymous ÷ "ok"',
                Target("portal", "/vhod/", expect="password"),
                ok,
                "≥ 0.50",
                0.50,
            ),
            Pair(
                f"«Мои согласия», {CONSENT_RECORDS} records ÷ 5 PK queries",
                Target("portal", "/kabinet/soglasiya/", consents_cookie, "198.51.100.23"),
                five,
                "≥ 0.50",
                0.50,
            ),
            Pair(
                "policy page: with visit logging ÷ without",
                Target("portal", policy, expect="<h1"),
                Target("portal_without_visits", policy, expect="<h1"),
                "cost < 5 %",
                None,
                maximum_cost=0.05,
                together=True,
            ),
        ]
        if options.only:
            pairs = [pair for pair in pairs if options.only in pair.name]

        def url(target: Target) -> str:
            return f"http://127.0.0.1:{ports[target.server]}{target.path}"

        def settle(target: Target) -> None:
            drain(
                f"http://127.0.0.1:{ports[target.server]}{health[target.server]}", options.workers
            )

        def measure(target: Target, seconds: float) -> float:
            rate = wrk(url(target), target.cookie, seconds, options.connections)
            settle(target)
            return rate

        for pair in pairs:
            for target in (pair.page, pair.reference):
                status, body = fetch(url(target), target.cookie)
                if status != 200 or target.expect not in body:
                    sys.exit(f"{url(target)} answered {status} without {target.expect!r}")
                measure(target, 1)  # warm the workers

        ratios: dict[str, list[float]] = {pair.name: [] for pair in pairs}
        rates: dict[str, list[tuple[float, float]]] = {pair.name: [] for pair in pairs}

        def measure_together(pair: Pair, seconds: float) -> tuple[float, float]:
            targets = (pair.page, pair.reference)
            with ThreadPoolExecutor(len(targets)) as pool:
                page, reference = pool.map(
                    lambda target: wrk(
                        url(target), target.cookie, seconds, options.connections // 2
                    ),
                    targets,
                )
            for target in targets:
                settle(target)
            return page, reference

        for number in range(options.rounds):
            print(f"Round {number + 1} of {options.rounds}…", flush=True)
            for pair in pairs:
                if pair.together:
                    page, reference = measure_together(pair, options.duration)
                # Otherwise each side goes first in every other round: what the run before leaves
                # behind (a visit batch being written, a queue draining) falls on both alike.
                elif number % 2:
                    reference = measure(pair.reference, options.duration)
                    page = measure(pair.page, options.duration)
                else:
                    page = measure(pair.page, options.duration)
                    reference = measure(pair.reference, options.duration)
                ratios[pair.name].append(page / reference)
                rates[pair.name].append((page, reference))
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)
        for server in servers:
            server.wait(timeout=30)
        shutil.rmtree(metrics_dir, ignore_errors=True)

    print(
        f"\n{options.workers} gunicorn sync workers per server, wrk with {options.connections} "
        f"connections, {options.rounds} rounds of {options.duration:g} s, {os.cpu_count()} CPUs"
    )
    print(f"{'':52} {'page req/s':>10} {'ref req/s':>10} {'ratio':>6}  goal")
    failed = False
    for pair in pairs:
        ratio = statistics.median(ratios[pair.name])
        page = statistics.median(rate for rate, _ in rates[pair.name])
        reference = statistics.median(rate for _, rate in rates[pair.name])
        if pair.maximum_cost is not None:
            met = 1 - ratio < pair.maximum_cost
        else:
            met = pair.minimum is None or ratio >= pair.minimum
        failed |= not met
        spread = f"{min(ratios[pair.name]):.2f}–{max(ratios[pair.name]):.2f}"
        print(
            f"{pair.name:52} {page:10.0f} {reference:10.0f} {ratio:6.2f}  {pair.goal}"
            f" {'met' if met else 'NOT MET'} (rounds {spread})"
        )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
