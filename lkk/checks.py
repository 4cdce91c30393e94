"""Checks `manage.py check --deploy` runs for production settings."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

# Caches that live inside one process: each instance would keep limits of its own.
_PROCESS_LOCAL_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@register(Tags.caches, deploy=True)
def shared_cache_check(**kwargs: Any) -> list[CheckMessage]:
    """With more than one process (gunicorn workers, instances) a cache must be shared, or each
    keeps its own copy of whatever is cached: production needs CACHE_URL (Redis)."""
    if settings.CACHES["default"]["BACKEND"] in _PROCESS_LOCAL_CACHES:
        return [
            Error(
                "CACHE_URL is not set: the cache is local to each process, so processes and "
                "instances would each keep, and disagree on, what is cached.",
                hint="Set CACHE_URL=redis://host:6379/0 in production.",
                id="lkk.E001",
            )
        ]
    return []
