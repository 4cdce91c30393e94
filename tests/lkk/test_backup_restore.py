"""scripts/backup-restore-check: a dump restores into a scratch database with the same rows."""

import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

SCRIPT = Path(settings.BASE_DIR) / "scripts" / "backup-restore-check"

pytestmark = pytest.mark.django_db(transaction=True)  # pg_dump sees only committed rows


def database_url() -> str:
    """The test database as a libpq URL (a socket directory goes in the query string)."""
    db = connection.settings_dict
    host = db.get("HOST") or "localhost"
    port = db.get("PORT") or "5432"
    user = quote(db.get("USER") or "postgres")
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    if host.startswith("/"):
        return f"postgresql://{user}{password}@/{db['NAME']}?host={quote(host)}&port={port}"
    return f"postgresql://{user}{password}@{host}:{port}/{db['NAME']}"


@pytest.fixture
def pg_tools():
    pg_dump = shutil.which("pg_dump")
    if not pg_dump or not shutil.which("pg_restore"):
        pytest.skip("pg_dump/pg_restore are not on PATH")
    client = subprocess.run([pg_dump, "--version"], capture_output=True, text=True, check=True)
    client_major = int(re.search(r"(\d+)\.", client.stdout).group(1))
    if client_major < connection.pg_version // 10000:
        pytest.skip("pg_dump is older than the server")


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--url", database_url(), *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.usefixtures("pg_tools")
def test_a_fresh_dump_restores_with_the_same_people_and_evidence(alice, bob):
    result = run()

    assert result.returncode == 0, result.stderr
    assert "accounts_user: 2" in result.stdout
    assert "restore OK" in result.stdout
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_database WHERE datname LIKE 'lkk_restore_check_%'")
        assert cursor.fetchone() == (0,)  # the scratch database is gone


@pytest.mark.usefixtures("pg_tools")
def test_a_broken_dump_fails_the_check(tmp_path):
    broken = tmp_path / "broken.dump"
    broken.write_bytes(b"PGDMP not really a dump")

    result = run("--dump", str(broken))

    assert result.returncode != 0
    assert "restore OK" not in result.stdout
