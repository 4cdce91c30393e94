"""Who may receive a mailing now, decided from the consent records in one set-based query."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.models import User
from consents.models import ConsentPurpose, ConsentRecord
from pdrequests.models import SubjectRequest


def mailing_recipients() -> QuerySet[User]:
    """Open accounts with a confirmed address whose latest mailings record is a consent given,
    and whose data is not blocked (152-FZ art. 21: blocked data is not processed).

    A person who never answered has no record and so no consent. «Latest record is a consent»
    is asked as «a consent with no later record» (ties go by id, as `current_for` orders), two
    index probes per account on (user, purpose, -created_at). The equivalent scalar subquery
    (`(latest action) = 'given'`) made PostgreSQL expect a whole-table scan behind every page
    of 500 and JIT-compile each: 10 s instead of 0.5 s for 100 000 accounts.
    """
    later_record = ConsentRecord.objects.filter(
        user=OuterRef("user"), purpose=OuterRef("purpose")
    ).filter(
        Q(created_at__gt=OuterRef("created_at"))
        | Q(created_at=OuterRef("created_at"), pk__gt=OuterRef("pk"))
    )
    consent_in_force = ConsentRecord.objects.filter(
        user=OuterRef("pk"),
        purpose__code=ConsentPurpose.MAILINGS,
        action=ConsentRecord.Action.GIVEN,
    ).exclude(Exists(later_record))
    return (
        User.objects.filter(is_active=True, awaiting_email_confirmation=False)
        .filter(Exists(consent_in_force))
        .exclude(pk__in=SubjectRequest.objects.blocking_in_force().values("subject"))
    )


def mailings_consent_given(user: User) -> bool:
    """Whether the person's mailings consent is in force now (one query)."""
    purpose = (
        ConsentPurpose.objects.with_state_for(user).filter(code=ConsentPurpose.MAILINGS).first()
    )
    return purpose is not None and purpose.is_given
