"""Demo consent history for `make run`: «Мои согласия» and the admin have something to show.

The purposes and their texts come from the data migration; this only adds a consumer's past.
"""

from datetime import timedelta

from django.utils import timezone

from consents.models import ConsentRecord, ConsentText
from privacy.models import PolicyVersion

DEMO_BROWSER = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/140.0 Mobile"

# (days ago, purpose, action, source, IP address)
DEMO_HISTORY = [
    (180, "account", "given", "registration", "198.51.100.23"),
    (180, "mailings", "given", "registration", "198.51.100.23"),
    (60, "mailings", "withdrawn", "email_link", "203.0.113.41"),
    (10, "mailings", "given", "profile", "203.0.113.41"),
]


def seed_consents(*, user) -> None:
    """Give `user` a consent history spread over half a year; runs again without duplicating.

    Backdated on purpose, so each record names the policy version in force on its day.
    """
    if user.consent_records.exists():
        return
    texts = {
        text.purpose.code: text
        for text in ConsentText.objects.select_related("purpose").order_by("version")
    }  # the newest version of each purpose wins
    now = timezone.now()
    records = []
    for days_ago, code, action, source, ip_address in DEMO_HISTORY:
        moment = now - timedelta(days=days_ago)
        records.append(
            ConsentRecord(
                user=user,
                purpose=texts[code].purpose,
                action=action,
                text=texts[code],
                policy_version=PolicyVersion.objects.published()
                .filter(effective_date__lte=timezone.localdate(moment))
                .order_by("-effective_date", "-published_at")
                .first(),
                created_at=moment,
                ip_address=ip_address,
                user_agent=DEMO_BROWSER,
                source=source,
            )
        )
    ConsentRecord.objects.bulk_create(records)
