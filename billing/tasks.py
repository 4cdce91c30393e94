"""Letters of the billing app, sent in the background by `django.tasks` after commit."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from billing.models import LinkDispute
from billing.numbers import mask_account_number


@task
def link_dispute_letter_send(*, dispute_id: int) -> None:
    """Tell support a consumer says their account is linked by someone else.

    The letter carries the masked number and a link into the admin, not the consumer's data:
    mailboxes get forwarded, the admin checks permissions.
    """
    dispute = LinkDispute.objects.select_related("account").filter(pk=dispute_id).first()
    if dispute is None:
        return
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(
            "emails/billing/link_dispute.txt",
            {
                "dispute": dispute,
                "operator": settings.OPERATOR,
                "admin_link": settings.SITE_URL
                + reverse("admin:billing_linkdispute_change", args=[dispute.pk]),
            },
        )
    EmailMessage(
        subject=f"Лицевой счёт {mask_account_number(dispute.account.number)} привязан другим "
        f"пользователем — {settings.OPERATOR['short_name']}",
        body=body,
        to=[settings.BILLING_SUPPORT_EMAIL],
    ).send()
