"""«Скачать мои данные»: everything the portal holds about a person (152-FZ art. 14 p. 7), at once.

One collector feeds both the printable page and the JSON file, so they never disagree, and it
loops over the registry of personal data (`lkk.personal_data`): a category an app declares is in
the export without a change here. Besides the data, the export states what art. 14 p. 7 lists:
the legal basis and purpose of each category, its source, retention, the processors and
recipients, that nothing is transferred abroad, and the person's rights.
"""

import datetime
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from lkk import personal_data

RIGHTS = (
    "получить сведения об обработке ваших данных и их копию (ст. 14 152-ФЗ) — эта выгрузка;",
    "потребовать уточнить, заблокировать или уничтожить данные, если они неполные, устаревшие, "
    "неточные, получены незаконно или не нужны для заявленной цели (ст. 14, 21) — раздел "
    "«Обращения по ПДн»;",
    "отозвать согласие на обработку (ст. 9 ч. 2) — раздел «Согласия»;",
    "потребовать прекратить обработку (ст. 21 ч. 5.1);",
    "обжаловать действия оператора в Роскомнадзор или в суд (ст. 17).",
)


def _category_section(category: personal_data.Category, user) -> dict[str, Any]:
    rows = category.export(user)
    return {**personal_data.describe(category), "rows": rows, "columns": _columns(rows)}


def _columns(rows: list[dict[str, Any]]) -> list[str]:
    """Every column any row has, in first-seen order (rows of one category may differ)."""
    columns: dict[str, None] = {}
    for row in rows:
        columns.update(dict.fromkeys(row))
    return list(columns)


def subject_data_collect(user) -> dict[str, Any]:
    """Everything the portal holds about `user`, with the legal items around it."""
    operator = settings.OPERATOR
    generated_at: datetime.datetime = timezone.localtime(timezone.now())
    return {
        "generated_at": generated_at,
        "operator": {
            "name": operator["name"],
            "address": operator["address"],
            "email": operator["email"],
            "phone": operator.get("phone", ""),
        },
        "categories": [
            _category_section(category, user) for category in personal_data.categories()
        ],
        "processors": list(personal_data.PROCESSORS),
        "transborder_transfer": personal_data.NO_TRANSBORDER,
        "rights": list(RIGHTS),
        "how_to_use_rights": (
            f"Подайте обращение в личном кабинете ({settings.SITE_URL}"
            f"{reverse('pdrequests:request_new')}) или письменно по адресу "
            f"{operator['address']}, или по электронной почте {operator['email']}. Оператор "
            "отвечает в течение 10 рабочих дней."
        ),
    }
