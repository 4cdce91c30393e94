"""Checks `manage.py check --deploy` runs for production settings.

The operator's requisites must be given, since consent texts, letters and the export name the
operator by them (152-FZ art. 9 p. 4); the cache must be shared between processes.
"""

import re
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

REQUIRED = {
    "name": "OPERATOR_NAME",
    "address": "OPERATOR_ADDRESS",
    "inn": "OPERATOR_INN",
    "ogrn": "OPERATOR_OGRN",
    "email": "OPERATOR_EMAIL",
    "dpo": "OPERATOR_DPO",
}
FORMATS = {"inn": re.compile(r"\d{10}"), "ogrn": re.compile(r"\d{13}")}


@register(Tags.security, deploy=True)
def operator_requisites_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    operator = settings.OPERATOR
    errors: list[CheckMessage] = [
        Error(
            f"Не задан реквизит оператора: {variable}.",
            hint="Реквизиты оператора показываются в текстах согласий и выгрузке данных.",
            id="lkk.E001",
        )
        for key, variable in REQUIRED.items()
        if not operator.get(key, "").strip()
    ]
    errors += [
        Error(
            f"{REQUIRED[key]} = {operator[key]!r}: ожидается "
            + ("10 цифр ИНН юридического лица." if key == "inn" else "13 цифр ОГРН."),
            id="lkk.E002",
        )
        for key, pattern in FORMATS.items()
        if operator.get(key) and not pattern.fullmatch(operator[key])
    ]
    return errors


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
                id="lkk.E003",
            )
        ]
    return []
