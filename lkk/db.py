"""PostgreSQL tools several apps need: advisory locks and human-readable serial numbers."""

import datetime

from django.db import connection

from lkk.moscow import moscow_date


def advisory_lock(key: str) -> None:
    """A transaction-scoped advisory lock on `key`: parallel requests for the same thing (one
    consumer, one IP address) queue up here, so a burst of them cannot all slip under a limit
    counted in the database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [key])


def serial_number(*, prefix: str, sequence: str, received_at: datetime.datetime) -> str:
    """`<prefix>-<Moscow year of receipt>-<serial>`, e.g. `ПДн-2026-000123`: a number people can
    read out on the phone. The serial comes from a PostgreSQL sequence, so it is never reused,
    whatever the number of processes, even after a rollback."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(%s)", [sequence])
        (serial,) = cursor.fetchone()
    return f"{prefix}-{moscow_date(received_at).year}-{serial:06d}"
