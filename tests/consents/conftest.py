"""Fixtures for consent tests: published policy versions and consent records."""

import datetime

import pytest
from django.utils import timezone

from consents import services
from consents.models import ConsentRecord
from privacy.models import PolicyVersion

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0 Safari/537.36"


@pytest.fixture
def publish_policy():
    """Publish a policy version in force since `days_ago` days (Moscow date)."""

    def publish(
        label: str, *, requires_renewed_consent: bool = False, days_ago: int = 0
    ) -> PolicyVersion:
        return PolicyVersion.objects.create(
            label=label,
            title=f"Политика конфиденциальности, редакция {label}",
            body=f"# Политика\n\nТекст редакции {label}.",
            effective_date=timezone.localdate() - datetime.timedelta(days=days_ago),
            requires_renewed_consent=requires_renewed_consent,
            status=PolicyVersion.Status.PUBLISHED,
            published_at=timezone.now(),
        )

    return publish


@pytest.fixture
def give():
    """Record a consent the way the profile page does, from a fixed address and browser."""

    def give_consent(user, purpose_code: str = "account", **overrides) -> ConsentRecord:
        arguments = {
            "user": user,
            "purpose_code": purpose_code,
            "source": ConsentRecord.Source.PROFILE,
            "ip_address": "203.0.113.7",
            "user_agent": BROWSER,
        }
        return services.consent_give(**(arguments | overrides))

    return give_consent
