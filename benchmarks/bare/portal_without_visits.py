"""The portal's production settings without visit logging: what `benchmarks/pages.py` compares
the same page against to price the logging."""

from lkk.settings import *  # noqa: F403

MIDDLEWARE = [m for m in MIDDLEWARE if m != "visits.middleware.VisitMiddleware"]  # noqa: F405
