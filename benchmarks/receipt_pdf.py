"""Benchmark, not a test: how long one receipt PDF (with its QR code) takes to make.

    DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/lkk \
        .venv/bin/python benchmarks/receipt_pdf.py [--runs 50]

Uses the demo consumer's latest month (`manage.py seed_demo` first). Prints the first run (fonts
read from disk) and the median and worst of the next runs, without the cache.
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

from bills.models import Charge  # noqa: E402
from bills.receipt import receipt_pdf  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    charge = Charge.objects.current().select_related("account").order_by("-period").first()
    if charge is None:
        sys.exit("No charges: run `manage.py seed_demo` first.")
    lines = list(charge.lines.order_by("position"))
    timings = []
    for _ in range(args.runs + 1):
        started = time.perf_counter()
        pdf = receipt_pdf(charge, lines=lines)
        timings.append((time.perf_counter() - started) * 1000)
    print(f"PDF of {len(pdf) / 1024:.0f} KB; first {timings[0]:.0f} ms")
    print(
        f"next {args.runs}: median {statistics.median(timings[1:]):.0f} ms, "
        f"worst {max(timings[1:]):.0f} ms"
    )


if __name__ == "__main__":
    main()
