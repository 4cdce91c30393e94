"""Mailing workflows. Each function is one transaction; batches are queued once it commits."""

from functools import partial

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from consents.models import ConsentPurpose, ConsentRecord
from consents.services import consent_withdraw
from lkk.bulk_mail import id_ranges
from mailings import tasks
from mailings.models import Mailing
from mailings.recipients import mailing_recipients, mailings_consent_given


def mailing_recipients_due(*, mailing: Mailing) -> QuerySet[User]:
    """Who would get the mailing if it were sent now: consenting, and not sent it yet."""
    already_sent = mailing.deliveries.filter(sent_at__isnull=False).values("user_id")
    return mailing_recipients().exclude(pk__in=already_sent)


@transaction.atomic
def mailing_send(*, mailing: Mailing, started_by: User) -> int:
    """Send the mailing to everyone whose consent is in force now, one task per batch.

    The recipients are the consent records' answer at this moment, and each batch asks again
    when it runs, so a consent withdrawn in between is respected. Sending again reaches only
    those who have not had the letter yet (a letter that failed, a consent given since).
    Returns how many letters are now due.
    """
    mailing = Mailing.objects.select_for_update().get(pk=mailing.pk)
    batches = list(id_ranges(mailing_recipients_due(mailing=mailing)))
    due = sum(batch.size for batch in batches)
    if mailing.send_started_at is None:
        mailing.send_started_at = timezone.now()
        mailing.send_started_by = started_by
    mailing.recipients_total = mailing.deliveries.filter(sent_at__isnull=False).count() + due
    mailing.batches_pending += len(batches)
    if mailing.batches_pending:
        mailing.status, mailing.sent_at = Mailing.Status.SENDING, None
    else:
        mailing.status, mailing.sent_at = Mailing.Status.SENT, mailing.sent_at or timezone.now()
    mailing.save(
        update_fields=[
            "send_started_at",
            "send_started_by",
            "recipients_total",
            "batches_pending",
            "status",
            "sent_at",
        ]
    )
    for batch in batches:
        transaction.on_commit(
            partial(
                tasks.mailing_batch_send.enqueue,
                mailing_id=mailing.pk,
                first_user_id=batch.first,
                last_user_id=batch.last,
            )
        )
    return due


@transaction.atomic
def mailing_unsubscribe(*, user: User, ip_address: str | None, user_agent: str) -> bool:
    """The one-click link of a letter: withdraw the mailings consent, recorded like any other
    withdrawal. Returns False when it was not in force (a second click changes nothing)."""
    User.objects.select_for_update().filter(pk=user.pk).first()  # two clicks at once: one record
    if not mailings_consent_given(user):
        return False
    consent_withdraw(
        user=user,
        purpose_code=ConsentPurpose.MAILINGS,
        source=ConsentRecord.Source.EMAIL_LINK,
        ip_address=ip_address,
        user_agent=user_agent,
    )
    return True
