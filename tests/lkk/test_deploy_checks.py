"""`check --deploy` refuses a production without a shared cache."""

from django.core import checks

from lkk.checks import shared_cache_check


def test_a_cache_local_to_each_process_is_an_error_in_production(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

    [error] = shared_cache_check()

    assert error.id == "lkk.E003"
    assert error.level == checks.ERROR
    assert "CACHE_URL" in error.msg


def test_a_shared_redis_cache_passes(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
        }
    }

    assert shared_cache_check() == []


def test_the_check_runs_only_with_deploy():
    registered = checks.registry.registry.get_checks(include_deployment_checks=True)
    ordinary = checks.registry.registry.get_checks(include_deployment_checks=False)

    assert shared_cache_check in registered
    assert shared_cache_check not in ordinary
