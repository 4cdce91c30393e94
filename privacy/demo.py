"""Demo policy versions for `make run`: the archive and "what changed" have something to show.

The two published versions are our own text for this portal; the operator's document is
loaded as a draft, to be reviewed and published by an administrator.
"""

from datetime import datetime, time, timedelta
from pathlib import Path

from django.utils import timezone

from privacy.models import PolicyVersion
from privacy.services import policy_import

SEED = Path(__file__).parent / "seed"
OPERATOR_TEXT = SEED / "operator-privacy-policy.md"

TITLE = "Политика обработки и защиты персональных данных в личном кабинете потребителя"


def seed_policies() -> None:
    """Two published versions and the operator's draft; runs again without duplicating."""
    today = timezone.localdate()
    for label, days_in_force in (("1.0", 200), ("1.1", 20)):
        effective_date = today - timedelta(days=days_in_force)
        # Published in the past, two weeks before taking effect: created as history, since
        # publishing today with a past effective date is refused (policy_publish).
        published_at = timezone.make_aware(
            datetime.combine(effective_date - timedelta(days=14), time(10, 0))
        )
        PolicyVersion.objects.get_or_create(
            label=label,
            defaults={
                "title": TITLE,
                "body": (SEED / f"demo-policy-{label}.md").read_text(encoding="utf-8"),
                "effective_date": effective_date,
                "status": PolicyVersion.Status.PUBLISHED,
                "published_at": published_at,
            },
        )
    if not PolicyVersion.objects.filter(label="2.0").exists():
        policy_import(
            text=OPERATOR_TEXT.read_text(encoding="utf-8"),
            label="2.0",
            effective_date=today + timedelta(days=30),
        )
