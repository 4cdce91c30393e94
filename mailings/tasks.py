"""Mailing letters, sent in the background one batch of recipients at a time."""

from functools import partial

from django.db.models import F
from django.utils import timezone
from django.utils.safestring import SafeString

from lkk.bulk_mail import send_once
from lkk.letters import LettersNotSent, WhenBlocked, greeting_name, letter_render, letter_task
from mailings.models import Mailing, MailingDelivery
from mailings.recipients import mailing_recipients
from mailings.unsubscribe import unsubscribe_url


def _mailing_letter(mailing: Mailing, body_html: SafeString, delivery: MailingDelivery):
    user = delivery.user
    unsubscribe = unsubscribe_url(user=user)
    return letter_render(
        to=user,
        subject=mailing.subject,
        template="emails/mailings/mailing",
        # RFC 2369 and RFC 8058: mail programs show their own «unsubscribe» button, which
        # POSTs "List-Unsubscribe=One-Click" to the link.
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        name=greeting_name(user),
        mailing=mailing,
        body_html=body_html,
        unsubscribe_url=unsubscribe,
    )


def _batch_finished(mailing_id: int) -> None:
    """The last batch to finish marks the mailing sent (row-locked UPDATEs: no race)."""
    Mailing.objects.filter(pk=mailing_id, batches_pending__gt=0).update(
        batches_pending=F("batches_pending") - 1
    )
    Mailing.objects.filter(pk=mailing_id, batches_pending=0, status=Mailing.Status.SENDING).update(
        status=Mailing.Status.SENT, sent_at=timezone.now()
    )


@letter_task(when_blocked=WhenBlocked.DROP)
def mailing_batch_send(*, mailing_id: int, first_user_id: int, last_user_id: int) -> None:
    """The recipients with ids first…last, asked again now: a consent withdrawn since the
    mailing was started is respected. One delivery row each (ON CONFLICT DO NOTHING), then the
    letters not sent yet."""
    mailing = Mailing.objects.filter(pk=mailing_id).first()
    if mailing is None:
        return
    try:
        user_ids = list(
            mailing_recipients()
            .filter(pk__range=(first_user_id, last_user_id))
            .values_list("pk", flat=True)
        )
        MailingDelivery.objects.bulk_create(
            [MailingDelivery(mailing=mailing, user_id=user_id) for user_id in user_ids],
            ignore_conflicts=True,
        )
        outcome = send_once(
            mailing.deliveries.filter(user_id__in=user_ids).select_related("user"),
            sent_field="sent_at",
            letter=partial(_mailing_letter, mailing, mailing.body_html()),
        )
    finally:
        _batch_finished(mailing_id)
    if outcome.failed:
        raise LettersNotSent(f"{outcome.failed} letter(s) of mailing #{mailing_id} not sent")
