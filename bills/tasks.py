"""The month's receipt letters, sent in the background one batch of people at a time through
the shared bulk-mail pipeline (`lkk.bulk_mail`): exactly once per person and month, with the
receipts of every account they chose the electronic receipt for. And the import of the files
staff upload in the admin (`bills.uploads`)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from functools import partial

from django.core.mail import EmailMessage
from django.tasks import task

from billing.numbers import mask_account_number
from bills.balance import rubles
from bills.models import Charge, ReceiptLetter
from bills.receipt import period_title, receipt_file_name, receipt_pdf_cached
from bills.uploads import bills_upload_run
from lkk.bulk_mail import LettersNotSent, send_once
from lkk.letters import WhenBlocked, greeting_name, letter_render, letter_task, site_link


@dataclass(frozen=True)
class LetterReceipt:
    """One account's receipt in a letter."""

    charge: Charge
    account_number: str  # masked
    amount_due: str
    pay_link: str
    charges_link: str


def _receipt_letter(
    receipts: dict[int, list[LetterReceipt]], period: datetime.date, row: ReceiptLetter
) -> EmailMessage:
    mine = receipts[row.user_id]
    numbers = ", ".join(receipt.account_number for receipt in mine)
    subject = (
        f"Квитанция за {period_title(period)} по лицевому счёту {numbers}"
        if len(mine) == 1
        else f"Квитанции за {period_title(period)} по лицевым счетам {numbers}"
    )
    letter = letter_render(
        to=row.user,
        subject=subject,
        template="emails/bills/receipt",
        name=greeting_name(row.user),
        period=period_title(period),
        receipts=mine,
    )
    for receipt in mine:
        letter.attach(
            receipt_file_name(receipt.charge), receipt_pdf_cached(receipt.charge), "application/pdf"
        )
    return letter


@letter_task(when_blocked=WhenBlocked.DROP)  # billing sends the paper one
def receipt_letters_batch_send(*, period: str, first_user_id: int, last_user_id: int) -> None:
    """The recipients among people first…last, asked again now (a choice or a block since the
    start counts); one letter row each (ON CONFLICT DO NOTHING), then the letters not sent."""
    from bills.services import receipt_letter_links, receipt_letter_recipients  # they queue us

    month = datetime.date.fromisoformat(period)
    user_ids = list(
        receipt_letter_recipients(period=month)
        .filter(pk__range=(first_user_id, last_user_id))
        .values_list("pk", flat=True)
    )
    if not user_ids:
        return
    links = list(
        receipt_letter_links(period=month)
        .filter(user_id__in=user_ids)
        .values_list("pk", "user_id", "account_id")
    )
    charges = {
        charge.account_id: charge
        for charge in Charge.objects.current()
        .filter(account_id__in=[account_id for _pk, _user, account_id in links], period=month)
        .select_related("account")
    }
    receipts: dict[int, list[LetterReceipt]] = defaultdict(list)
    for link_id, user_id, account_id in sorted(links, key=lambda link: link[2]):
        charge = charges[account_id]
        receipts[user_id].append(
            LetterReceipt(
                charge=charge,
                account_number=mask_account_number(charge.account.number),
                amount_due=rubles(charge.amount_due),
                pay_link=site_link("bills:pay", link_id),
                charges_link=site_link("bills:charges", link_id),
            )
        )
    ReceiptLetter.objects.bulk_create(
        [ReceiptLetter(user_id=user_id, period=month) for user_id in receipts],
        ignore_conflicts=True,
    )
    outcome = send_once(
        ReceiptLetter.objects.filter(user_id__in=list(receipts), period=month).select_related(
            "user"
        ),
        sent_field="sent_at",
        letter=partial(_receipt_letter, receipts, month),
    )
    if outcome.failed:
        raise LettersNotSent(f"{outcome.failed} receipt letter(s) for {period} not sent")


@task()
def bills_upload_import(*, import_id: int) -> None:
    """Import a charges or payments file uploaded by staff (`bills.uploads`)."""
    bills_upload_run(import_id=import_id)
