"""`manage.py check --deploy`: the portal must not open with no privacy policy in force, since
nobody could then consent on known terms and registration stays closed."""

from typing import Any

from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.db import DatabaseError


@register(Tags.database, deploy=True)
def published_policy_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    from privacy.models import PolicyVersion

    try:
        in_force = PolicyVersion.objects.current()
    except DatabaseError:
        return [
            Warning(
                "Не удалось проверить, опубликована ли политика: нет доступа к базе данных.",
                id="privacy.W001",
            )
        ]
    if in_force is None:
        return [
            Error(
                "Ни одна редакция политики обработки персональных данных не действует: "
                "регистрация закрыта.",
                hint="Загрузите и опубликуйте политику: manage.py import_policy FILE.md "
                "--version 1.0 --effective-date ГГГГ-ММ-ДД --publish",
                id="privacy.E001",
            )
        ]
    return []
