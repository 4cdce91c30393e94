"""Background tasks of the billing app: letters (after commit) and the import of registry files
uploaded by staff."""

from django.conf import settings
from django.tasks import task

from billing.models import LinkDispute
from billing.numbers import mask_account_number
from billing.uploads import registry_upload_run
from lkk.letters import WhenBlocked, letter_send, letter_task, site_link


@letter_task(when_blocked=WhenBlocked.SEND)  # to the operator's own mailbox
def link_dispute_letter_send(*, dispute_id: int) -> None:
    """Tell support a consumer says their account is linked by someone else.

    The letter carries the masked number and a link into the admin, not the consumer's data:
    mailboxes get forwarded, the admin checks permissions. Plain text: it goes to a support
    mailbox, not to a consumer.
    """
    dispute = LinkDispute.objects.select_related("account").filter(pk=dispute_id).first()
    if dispute is None:
        return
    letter_send(
        to=settings.BILLING_SUPPORT_EMAIL,
        subject=f"Лицевой счёт {mask_account_number(dispute.account.number)} привязан другим "
        "пользователем",
        template="emails/billing/link_dispute",
        html=False,
        dispute=dispute,
        admin_link=site_link("admin:billing_linkdispute_change", dispute.pk),
    )


@task()
def registry_upload_import(*, upload_id: int) -> None:
    """Import a registry file uploaded by staff (`billing.uploads`)."""
    registry_upload_run(upload_id=upload_id)
