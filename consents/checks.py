"""`manage.py check --deploy --database default`: the consent texts in force must name the
operator by the requisites in force (lkk.checks requires those in production)."""

from typing import Any

from django.core.checks import CheckMessage, Tags, Warning, register
from django.db import DatabaseError


@register(Tags.database, deploy=True)
def consent_texts_requisites_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    from consents.services import consent_texts_outdated

    try:
        outdated = consent_texts_outdated()
    except DatabaseError:
        return []
    return [
        Warning(
            f"Текст согласия «{text.title}» (редакция № {text.version}) опубликован с другими "
            "реквизитами оператора.",
            hint="Опубликуйте новые редакции: manage.py consent_texts_republish",
            id="consents.W001",
        )
        for text in outdated
    ]
