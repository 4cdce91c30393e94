"""The shared cache (Redis in production) is a convenience, never a dependency of a page.

`settings.CACHES` puts `DegradingRedisCache` in front of Redis: when Redis is down or slow, every
cache call answers as a miss (reads give the default, writes do nothing), logs and counts the
failure, and the page is served from PostgreSQL as usual. Nothing that must hold (limits,
sessions, lockouts) is kept in the cache, so a miss changes no answer; `/healthz` says the cache
is down while the database answers.
"""

import logging
import threading
import time
from collections.abc import Iterable
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)

# One warning per this many seconds while the failures go on: an outage must not flood the log.
_LOG_EVERY_SECONDS = 60.0


class _FailureCounter:
    """Cache failures in this process since it started (for logs and the health check)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.count = 0
        self._logged_at = float("-inf")

    def record(self, operation: str, error: Exception) -> None:
        with self._lock:
            self.count += 1
            count = self.count
            log_now = time.monotonic() - self._logged_at >= _LOG_EVERY_SECONDS
            if log_now:
                self._logged_at = time.monotonic()
        if log_now:
            logger.warning(
                "Cache unavailable (%s: %s); answering as a miss. %d failure(s) so far.",
                operation,
                type(error).__name__,
                count,
            )


failures = _FailureCounter()


def cache_failure_count() -> int:
    return failures.count


def _errors() -> tuple[type[Exception], ...]:
    from redis.exceptions import RedisError

    return (RedisError, OSError)


class _OneClientPerPool(RedisCacheClient):
    """Django makes a new redis-py client for every cache call, and each one builds redis-py's
    table of some 170 response callbacks: much of what a page served from the cache cost. A
    client over a connection pool holds no connection of its own, so one per pool serves every
    call (and Django keeps a cache object per thread)."""

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        # Django's own attributes, which django-stubs does not declare.
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        clients = self.__dict__.setdefault("_clients", {})
        if id(pool) not in clients:
            clients[id(pool)] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return clients[id(pool)]


class DegradingRedisCache(RedisCache):
    """Django's Redis cache, each call answering as a miss when Redis fails."""

    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = _OneClientPerPool

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> bool:
        try:
            return super().add(key, value, timeout, version)
        except _errors() as error:
            failures.record("add", error)
            return False

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        try:
            return super().get(key, default, version)
        except _errors() as error:
            failures.record("get", error)
            return default

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> None:
        try:
            super().set(key, value, timeout, version)
        except _errors() as error:
            failures.record("set", error)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> bool:
        try:
            return super().touch(key, timeout, version)
        except _errors() as error:
            failures.record("touch", error)
            return False

    def delete(self, key: Any, version: Any = None) -> bool:
        try:
            return super().delete(key, version)
        except _errors() as error:
            failures.record("delete", error)
            return False

    def get_many(self, keys: Iterable[Any], version: Any = None) -> dict[Any, Any]:
        try:
            return super().get_many(keys, version)
        except _errors() as error:
            failures.record("get_many", error)
            return {}

    def has_key(self, key: Any, version: Any = None) -> bool:
        try:
            return super().has_key(key, version)
        except _errors() as error:
            failures.record("has_key", error)
            return False

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> int:
        try:
            return super().incr(key, delta, version)
        except _errors() as error:
            failures.record("incr", error)
            raise ValueError(f"Key {key!r} not found (the cache is unavailable).") from None

    def set_many(
        self, data: dict[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> list[Any]:
        try:
            return super().set_many(data, timeout, version)
        except _errors() as error:
            failures.record("set_many", error)
            return list(data)

    def delete_many(self, keys: Iterable[Any], version: Any = None) -> None:
        try:
            super().delete_many(keys, version)
        except _errors() as error:
            failures.record("delete_many", error)

    def clear(self) -> None:
        try:
            super().clear()
        except _errors() as error:
            failures.record("clear", error)

    def is_available(self) -> bool:
        """Whether Redis answers now (for the health check; not counted as a failure)."""
        try:
            return bool(self._cache.get_client(write=True).ping())
        except _errors():
            return False


def cache_is_available() -> bool:
    """Whether the default cache answers: Redis is pinged, a local cache always answers."""
    backend = caches["default"]
    check = getattr(backend, "is_available", None)
    return check() if check is not None else True
