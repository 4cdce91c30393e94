"""Production settings: `check --deploy` is clean, and nothing insecure is silently defaulted."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "prod-test-" + "k" * 60,
    "ALLOWED_HOSTS": "lkk.ivsbyt.ru",
    "CSRF_TRUSTED_ORIGINS": "https://lkk.ivsbyt.ru",
    "SITE_URL": "https://lkk.ivsbyt.ru",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/lkk",
    "CACHE_URL": "redis://127.0.0.1:6379/1",
    "EMAIL_URL": "smtp://mail.example.ru:587",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    # The test process's own development switches must not leak into "production".
    leaking = {*PRODUCTION_ENV, "DJANGO_ALLOW_ASYNC_UNSAFE", "TASKS_BACKEND"}
    clean = {k: v for k, v in os.environ.items() if k not in leaking}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_reports_no_issues_in_production():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL"])
def test_production_refuses_to_start_without_a_required_setting(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}

    result = manage("check", env=env)

    assert result.returncode != 0
    assert f"Environment variable {missing} is required" in result.stderr


def test_production_refuses_a_database_other_than_postgresql():
    result = manage("check", env={**PRODUCTION_ENV, "DATABASE_URL": "sqlite:///db.sqlite3"})

    assert result.returncode != 0
    assert "must point to PostgreSQL" in result.stderr


def test_strict_content_security_policy_is_sent(client, db):
    response = client.get("/healthz")

    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_a_redis_cache_answers_as_a_miss_when_redis_fails():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])",
        env=PRODUCTION_ENV,
    )

    assert result.stdout.strip().splitlines()[-1] == "lkk.cache.DegradingRedisCache", result.stderr
