"""Stopping `make run` (its runserver, reloader and all) stops the embedded PostgreSQL too, by
Ctrl-C (SIGINT to the terminal's process group) or by SIGTERM (`make` passes it on)."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _postmaster(pgdata: Path) -> psutil.Process | None:
    pid_file = pgdata / "data" / "postmaster.pid"
    if not pid_file.exists():
        return None
    pid = int(pid_file.read_text().split()[0])
    return psutil.Process(pid) if psutil.pid_exists(pid) else None


def _wait_until_up(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert server.poll() is None, "runserver exited while starting"
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 — http:// only
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail("runserver did not answer within two minutes")


@pytest.mark.parametrize("how", ["ctrl-c", "sigterm"])
def test_stopping_runserver_stops_the_embedded_postgresql(tmp_path, how):
    pgdata = tmp_path / "pgdata"
    port = _free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "PYTEST_ADDOPTS", "DJANGO_SETTINGS_MODULE")
    }
    env.update(DEBUG="true", EMBEDDED_PGDATA=str(pgdata))
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, as a terminal gives `make run`
    )
    try:
        _wait_until_up(f"http://127.0.0.1:{port}/healthz", server)
        postmaster = _postmaster(pgdata)
        assert postmaster is not None and postmaster.is_running()

        if how == "ctrl-c":
            os.killpg(server.pid, signal.SIGINT)
        else:
            server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)

        postmaster.wait(timeout=30)
        assert not postmaster.is_running()
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
        leftover = _postmaster(pgdata)
        if leftover is not None:
            leftover.kill()
