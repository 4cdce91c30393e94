"""Letters with the month's receipt, sent in the background one batch of recipients at a time
through the shared bulk-mail pipeline (`lkk.bulk_mail`): exactly once per person, account and
month."""

import datetime
from functools import partial

from django.core.mail import EmailMessage
from django.db.models import Q
from django.tasks import task

from billing.numbers import mask_account_number
from bills.balance import rubles
from bills.models import Charge, ReceiptLetter
from bills.receipt import period_title, receipt_file_name, receipt_pdf_cached
from lkk.bulk_mail import LettersNotSent, send_once
from lkk.letters import greeting_name, letter_render, site_link


def _receipt_letter(
    charges: dict[int, Charge], links: dict[tuple[int, int], int], row: ReceiptLetter
) -> EmailMessage:
    charge = charges[row.account_id]
    link_id = links[(row.user_id, row.account_id)]
    letter = letter_render(
        to=row.user.email,
        subject=f"Квитанция за {period_title(charge.period)} по лицевому счёту "
        f"{mask_account_number(charge.account.number)}",
        template="emails/bills/receipt",
        name=greeting_name(row.user),
        charge=charge,
        period=period_title(charge.period),
        amount_due=rubles(charge.amount_due),
        account_number=mask_account_number(charge.account.number),
        charges_link=site_link("bills:charges", link_id),
        pay_link=site_link("bills:pay", link_id),
    )
    letter.attach(receipt_file_name(charge), receipt_pdf_cached(charge), "application/pdf")
    return letter


@task
def receipt_letters_batch_send(*, period: str, first_link_id: int, last_link_id: int) -> None:
    """The recipients among links first…last, asked again now (a choice or a block since the
    start counts); one letter row each (ON CONFLICT DO NOTHING), then the letters not sent."""
    from bills.services import receipt_letter_recipients  # services queue this task

    month = datetime.date.fromisoformat(period)
    recipients = list(
        receipt_letter_recipients(period=month)
        .filter(pk__range=(first_link_id, last_link_id))
        .values_list("pk", "user_id", "account_id")
    )
    if not recipients:
        return
    ReceiptLetter.objects.bulk_create(
        [
            ReceiptLetter(user_id=user_id, account_id=account_id, period=month)
            for _link_id, user_id, account_id in recipients
        ],
        ignore_conflicts=True,
    )
    account_ids = [account_id for _link_id, _user_id, account_id in recipients]
    charges = {
        charge.account_id: charge
        for charge in Charge.objects.current()
        .filter(account_id__in=account_ids, period=month)
        .select_related("account")
    }
    links = {(user_id, account_id): link_id for link_id, user_id, account_id in recipients}
    pairs = Q()
    for _link_id, user_id, account_id in recipients:
        if account_id in charges:
            pairs |= Q(user_id=user_id, account_id=account_id)
    outcome = send_once(
        ReceiptLetter.objects.filter(pairs, period=month).select_related("user"),
        sent_field="sent_at",
        letter=partial(_receipt_letter, charges, links),
    )
    if outcome.failed:
        raise LettersNotSent(f"{outcome.failed} receipt letter(s) for {period} not sent")
