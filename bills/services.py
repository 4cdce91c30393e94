"""Workflows of the bills app: the electronic receipt choice, its export to billing, and the
month's receipt letters. Each function is one transaction; tasks are queued after commit."""

import datetime
import logging
from functools import partial
from typing import TextIO

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone

from accounts.models import User
from billing.models import AccountLink
from bills import tasks
from bills.models import Charge, ElectronicReceiptChoice, ReceiptChoiceExport
from lkk.bulk_mail import id_ranges
from lkk.spreadsheets import SafeCsvWriter
from pdrequests.models import SubjectRequest

logger = logging.getLogger(__name__)


def receipt_choice_current(*, link: AccountLink) -> ElectronicReceiptChoice | None:
    """The consumer's latest choice for this account (one query)."""
    return (
        ElectronicReceiptChoice.objects.filter(account_id=link.account_id, user_id=link.user_id)
        .order_by("-chosen_at", "-pk")
        .first()
    )


def charge_month_links(
    *, user: User, account_id: int, periods: list[datetime.date]
) -> dict[datetime.date, int]:
    """Of these months of the account, those that have a page for this consumer: the month →
    the pk of the consumer's active link to the account (the bills pages' key). A month the
    account has no charges for, or an account the consumer does not hold, gives nothing.
    One query, whatever the number of months."""
    own_link = AccountLink.objects.active().filter(user=user, account_id=OuterRef("account_id"))
    return dict(
        Charge.objects.current()
        .filter(account_id=account_id, period__in=periods)
        .annotate(link_pk=Subquery(own_link.values("pk")[:1]))
        .filter(link_pk__isnull=False)
        .values_list("period", "link_pk")
    )


@transaction.atomic
def receipt_choice_set(*, link: AccountLink, electronic: bool) -> bool:
    """Record the choice (appended, with its time); False if it is already in force."""
    AccountLink.objects.select_for_update().filter(pk=link.pk).first()  # two clicks: one record
    current = receipt_choice_current(link=link)
    if (current.electronic if current else False) == electronic:
        return False
    ElectronicReceiptChoice.objects.create(
        account_id=link.account_id, user_id=link.user_id, electronic=electronic
    )
    return True


EXPORT_HEADER = ("Лицевой счёт", "Электронная квитанция", "Время выбора")


def receipt_choices_export(*, out: TextIO, batch: ReceiptChoiceExport | None = None) -> int:
    """Write the choices not exported yet to `out` as CSV and mark them with a new batch, all
    in one transaction: if writing fails, nothing is marked and the next run exports them.
    With `batch`, write that batch's rows again. Returns the number of rows."""
    with transaction.atomic():
        if batch is None:
            batch = ReceiptChoiceExport.objects.create()
            # Rows another export is writing now are skipped, not exported twice.
            ids = (
                ElectronicReceiptChoice.objects.not_exported()
                .select_for_update(skip_locked=True)
                .values("pk")
            )
            batch.rows = ElectronicReceiptChoice.objects.filter(pk__in=ids).update(export=batch)
            batch.save(update_fields=["rows"])
        writer = SafeCsvWriter(out, delimiter=";", lineterminator="\r\n")
        writer.writerow(EXPORT_HEADER)
        rows = (
            batch.choices.order_by("pk")
            .values_list("account__number", "electronic", "chosen_at")
            .iterator(chunk_size=5000)
        )
        for number, electronic, chosen_at in rows:
            writer.writerow(
                (number, "да" if electronic else "нет", timezone.localtime(chosen_at).isoformat())
            )
    logger.info("Receipt choices export #%s: %d rows", batch.pk, batch.rows)
    return batch.rows


def receipt_letter_links(*, period: datetime.date) -> QuerySet[AccountLink]:
    """Active links whose consumer's latest choice for the account is the electronic receipt
    and whose account has the month."""
    latest_choice = ElectronicReceiptChoice.objects.filter(
        account=OuterRef("account"), user=OuterRef("user")
    ).order_by("-chosen_at", "-pk")
    month = Charge.objects.current().filter(account=OuterRef("account"), period=period)
    return (
        AccountLink.objects.active()
        .annotate(electronic=Subquery(latest_choice.values("electronic")[:1]))
        .filter(electronic=True)
        .filter(Exists(month))
    )


def receipt_letter_recipients(*, period: datetime.date) -> QuerySet[User]:
    """People with such a link, an open account and a confirmed address, whose data is not
    blocked (152-FZ art. 21). Asked per person (an index probe on their links), so that a page
    of 500 people costs the same however many millions there are."""
    return (
        User.objects.filter(is_active=True, awaiting_email_confirmation=False)
        .filter(Exists(receipt_letter_links(period=period).filter(user=OuterRef("pk"))))
        .exclude(pk__in=SubjectRequest.objects.blocking_in_force().values("subject"))
    )


def receipt_letters_start(*, period: datetime.date) -> int:
    """Queue the month's receipt letters, one task per batch of 500 people. Safe to repeat: each
    batch sends only the letters not sent yet (one row per person and month).

    The ranges are read page by page, each page its own short query: no transaction stays
    open over a million recipients. Returns the number of recipients found."""
    total = 0
    for batch in id_ranges(receipt_letter_recipients(period=period)):
        total += batch.size
        tasks.receipt_letters_batch_send.enqueue(
            period=period.isoformat(), first_user_id=batch.first, last_user_id=batch.last
        )
    logger.info("Receipt letters for %s: %d recipients queued", period, total)
    return total


def receipt_letters_start_on_commit(*, period: datetime.date) -> None:
    transaction.on_commit(partial(receipt_letters_start, period=period))
