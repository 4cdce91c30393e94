"""Policy versions for the privacy tests, published or not, in force, past or future."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from privacy.models import PolicyVersion

POLICY_TEXT = """\
Вводный абзац политики.

## 1. Общие положения

1.1. Оператор обрабатывает персональные данные пользователей.

1.2. Статистика посещений хранится один год.

## 2. Права пользователя

2.1. Пользователь может запросить сведения о своих данных.
"""


def days_from_today(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)


@pytest.fixture
def make_version(db):
    """A version as history left it: published ones carry their publication time."""

    def make(
        label: str,
        *,
        effective_in_days: int = -30,
        published: bool = True,
        body: str = POLICY_TEXT,
        title: str = "Политика обработки персональных данных",
    ) -> PolicyVersion:
        return PolicyVersion.objects.create(
            label=label,
            title=title,
            body=body,
            effective_date=days_from_today(effective_in_days),
            status=PolicyVersion.Status.PUBLISHED if published else PolicyVersion.Status.DRAFT,
            published_at=timezone.now() if published else None,
        )

    return make
