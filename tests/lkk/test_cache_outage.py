"""Redis down: pages that use the cache are served from PostgreSQL, the failure is logged and
counted, and /healthz names the cache as the dependency that is down."""

import logging

import pytest
from django.urls import reverse

from lkk.cache import cache_failure_count
from privacy.models import PolicyVersion

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("redis_down")]


def test_a_page_that_uses_the_cache_is_served_and_the_failure_is_logged_and_counted(client, caplog):
    PolicyVersion.objects.create(
        label="1.0",
        title="Политика обработки персональных данных",
        body="# Политика\n\nТекст.",
        effective_date="2026-01-01",
        status=PolicyVersion.Status.PUBLISHED,
        published_at="2026-01-01T00:00:00+03:00",
    )
    before = cache_failure_count()

    with caplog.at_level(logging.WARNING, logger="lkk.cache"):
        response = client.get(reverse("privacy:current"))

    assert response.status_code == 200
    assert "Текст." in response.content.decode()
    assert cache_failure_count() > before


def test_an_outage_is_logged_once_a_minute_not_once_a_call(caplog, monkeypatch):
    from django.core.cache import cache

    from lkk import cache as lkk_cache

    monkeypatch.setattr(lkk_cache.failures, "_logged_at", float("-inf"))
    with caplog.at_level(logging.WARNING, logger="lkk.cache"):
        for _ in range(5):
            assert cache.get("key", "default") == "default"

    assert len([r for r in caplog.records if r.name == "lkk.cache"]) == 1


def test_healthz_says_the_cache_is_down_while_the_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "unavailable"}
