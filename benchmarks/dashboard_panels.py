"""Benchmark, not a test: what the charges block costs the dashboard.

    DEBUG=false SECRET_KEY=… ALLOWED_HOSTS=testserver CACHE_URL=redis://127.0.0.1:6379/5 \
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lkk \
        .venv/bin/python benchmarks/dashboard_panels.py [--requests 300] [--rounds 5]

Against a database that `seed_demo` has filled (the demo consumer's account has 24 months of
charges and payments), production-like (DEBUG off, `collectstatic` done; VACUUM ANALYZE first if
big benchmarks ran on it). Renders the dashboard for the demo consumer in-process with Django's
test client, in interleaved rounds: with every panel registered (as served), then with the bills
panel taken out. The dashboard's accounts are kept per person between pages (`billing.views`);
here they are computed afresh for every request, as at a person's first page of the day or after
an import, which is where the block costs anything. Prints requests per second of each and
their ratio; issue 13 asks the ratio to stay at 0.80 or more. Ratios taken in one run are what
to compare: absolute numbers depend on the machine.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lkk.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from billing import panels  # noqa: E402
from lkk.management.commands.seed_demo import DEMO_CONSUMER  # noqa: E402
from lkk.person_cache import Shown, person_changed  # noqa: E402


def rate(client: Client, url: str, user_pk: int, requests: int) -> float:
    started = time.perf_counter()
    for _ in range(requests):
        person_changed(Shown.DASHBOARD, [user_pk])  # computed afresh, not the kept accounts
        response = client.get(url, secure=True)  # production redirects plain HTTP
        if response.status_code != 200:
            sys.exit(f"The dashboard answered {response.status_code}: is seed_demo loaded?")
    return requests / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()

    setup_test_environment()
    client = Client()
    consumer = get_user_model().objects.get(email=DEMO_CONSUMER[0])
    client.force_login(consumer)
    url = reverse("billing:dashboard")
    served = list(panels._panels)
    without_bills = [panel for panel in served if not panel.__module__.startswith("bills")]
    if len(without_bills) == len(served):
        sys.exit("The bills panel is not registered.")

    rate(client, url, consumer.pk, 20)  # warm the caches and the connection
    with_panel, without_panel = [], []
    for _ in range(options.rounds):
        panels._panels[:] = served
        with_panel.append(rate(client, url, consumer.pk, options.requests))
        panels._panels[:] = without_bills
        without_panel.append(rate(client, url, consumer.pk, options.requests))
    panels._panels[:] = served

    a, b = statistics.median(with_panel), statistics.median(without_panel)
    print(f"dashboard with the charges block: {a:.0f} req/s; without it: {b:.0f} req/s")
    print(f"ratio {a / b:.2f} (median of {options.rounds} interleaved rounds)")


if __name__ == "__main__":
    main()
