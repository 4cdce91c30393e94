"""The audit of link attempts is kept for BILLING_LINK_ATTEMPT_RETENTION_DAYS, then deleted."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from billing.models import AccountLink, LinkAttempt, LinkOutcome
from lkk.models import RetentionRecord

pytestmark = pytest.mark.django_db


def attempt(user, *, days_ago: float) -> LinkAttempt:
    return LinkAttempt.objects.create(
        user=user,
        ip_address="203.0.113.7",
        number_masked="****0001",
        number_digest="d" * 64,
        factor=AccountLink.Factor.SURNAME,
        outcome=LinkOutcome.FACTOR_MISMATCH,
        attempted_at=timezone.now() - timedelta(days=days_ago),
    )


def test_retention_deletes_exactly_the_attempts_older_than_the_period(alice):
    old = [attempt(alice, days_ago=400), attempt(alice, days_ago=366)]
    kept = [attempt(alice, days_ago=364), attempt(alice, days_ago=0)]

    call_command("apply_retention", stdout=StringIO())

    assert RetentionRecord.objects.get(category="billing.link_attempts").count == len(old)
    assert set(LinkAttempt.objects.values_list("pk", flat=True)) == {a.pk for a in kept}


def test_the_command_uses_the_retention_setting_and_says_how_many(alice, settings):
    settings.BILLING_LINK_ATTEMPT_RETENTION_DAYS = 30
    attempt(alice, days_ago=31)
    attempt(alice, days_ago=29)
    out = StringIO()

    call_command("apply_retention", stdout=out)

    assert LinkAttempt.objects.count() == 1
    assert "попытки привязки лицевых счетов (удалены): 1 (срок хранения: 30 дн.)" in out.getvalue()
