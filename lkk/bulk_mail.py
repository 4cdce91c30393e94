"""One letter to each of many people (incident notices, mailings): in batches, and never twice.

The work is split into ranges of user ids found by keyset pagination, one background task per
range, so a big audience never becomes one huge query or one task that runs for hours. Each
person's letter has a row of its own (unique per letter and person); a row is claimed before its
letter goes out, so two runs of the same batch, even at the same moment, never send it twice.
The letters themselves are rendered by `lkk.letters.letter_render`, as every other letter is, and
the batch task is a `@letter_task`: a batch whose letters the mail server refused raises
`LettersNotSent` and is queued again later, like a single letter, to send what is left.
"""

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.core.mail import EmailMessage, mailers
from django.db import models, transaction
from django.utils import timezone

from lkk import metrics
from lkk.letters import LettersNotSent, RecipientBlocked

__all__ = ["BATCH_SIZE", "IdRange", "LettersNotSent", "SendOutcome", "id_ranges", "send_once"]

logger = logging.getLogger(__name__)

BATCH_SIZE = 500


@dataclass(frozen=True)
class IdRange:
    """Primary keys `first`…`last` (inclusive) of `size` rows of a query, in id order."""

    first: int
    last: int
    size: int


def id_ranges(queryset: models.QuerySet) -> Iterator[IdRange]:
    """Consecutive ranges of at most BATCH_SIZE rows each, by keyset pagination on the primary
    key: every page is an index range scan, however far into the table it is."""
    after = 0
    while True:
        ids = list(
            queryset.filter(pk__gt=after).order_by("pk").values_list("pk", flat=True)[:BATCH_SIZE]
        )
        if not ids:
            return
        yield IdRange(first=ids[0], last=ids[-1], size=len(ids))
        after = ids[-1]


@dataclass(frozen=True)
class SendOutcome:
    sent: int
    failed: int


def send_once(
    rows: models.QuerySet,
    *,
    sent_field: str,
    letter: Callable[[models.Model], EmailMessage],
) -> SendOutcome:
    """Send `letter(row)` for every row whose `sent_field` is still empty, over one connection.

    The rows are claimed first: locked (skipping rows another run holds), stamped and committed,
    and only then are the letters sent. A concurrent run therefore finds them stamped or locked
    and leaves them alone. A letter the mail server refuses has its stamp cleared again, so a
    later run sends it; a process killed between the stamp and the letter loses that letter
    rather than ever sending one twice.
    """
    with transaction.atomic():
        claimed = list(
            rows.filter(**{f"{sent_field}__isnull": True}).select_for_update(
                skip_locked=True, of=("self",)
            )
        )
        stamp = timezone.now()
        rows.model._default_manager.filter(pk__in=[row.pk for row in claimed]).update(
            **{sent_field: stamp}
        )
    if not claimed:
        return SendOutcome(sent=0, failed=0)
    sent: set[int] = set()
    blocked: set[int] = set()
    try:
        with mailers.default as connection:
            for row in claimed:
                try:
                    connection.send_messages([letter(row)])
                except RecipientBlocked:
                    # Blocked since the batch chose its people: left unsent, not a failure.
                    logger.info("Letter for %s #%s held: data blocked", rows.model.__name__, row.pk)
                    blocked.add(row.pk)
                except OSError:  # smtplib.SMTPException and connection errors are OSErrors
                    logger.exception("Letter for %s #%s not sent", rows.model.__name__, row.pk)
                else:
                    sent.add(row.pk)
    except OSError:
        logger.exception("The mail server could not be reached")
    finally:
        unsent = [row.pk for row in claimed if row.pk not in sent]
        if unsent:
            rows.model._default_manager.filter(pk__in=unsent).update(**{sent_field: None})
        metrics.LETTERS.labels(outcome="sent").inc(len(sent))
        metrics.LETTERS.labels(outcome="failed").inc(len(unsent) - len(blocked))
    return SendOutcome(sent=len(sent), failed=len(claimed) - len(sent) - len(blocked))
