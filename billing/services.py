"""Linking лицевые счета to web accounts. Each workflow is one transaction."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.crypto import salted_hmac

from billing import tasks
from billing.models import AccountLink, LinkAttempt, LinkDispute, LinkOutcome, PersonalAccount
from billing.numbers import mask_account_number
from lkk.db import advisory_lock
from lkk.limits import Limit, recent_duplicate, window_check, window_retry_at
from lkk.person_cache import Shown, person_changed

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LinkResult:
    outcome: LinkOutcome
    link: AccountLink | None = None
    # Set only once the factor matched: the account may then be named to the consumer.
    account: PersonalAccount | None = None

    @property
    def linked(self) -> bool:
        return self.outcome == LinkOutcome.LINKED


def account_number_digest(number: str) -> str:
    """A keyed hash of a typed number: lets staff find attempts on it without storing it."""
    return salted_hmac("billing.LinkAttempt.number", number, algorithm="sha256").hexdigest()


def link_attempts_retry_at(*, user, ip_address: str | None) -> datetime | None:
    """When this consumer from this address may try to link again; None if they may now.

    Counted from `LinkAttempt` rows, so every process behind the load balancer agrees.
    """
    window = timedelta(minutes=settings.BILLING_LINK_FAILURE_WINDOW_MINUTES)
    failures = LinkAttempt.objects.counted_failures()
    limits = [(failures.filter(user=user), settings.BILLING_LINK_FAILURES_PER_USER)]
    if ip_address:
        limits.append(
            (failures.filter(ip_address=ip_address), settings.BILLING_LINK_FAILURES_PER_IP)
        )
    retry_ats = [
        window_retry_at(attempts, at_field="attempted_at", limit=Limit(count, window))
        for attempts, count in limits
    ]
    return max((at for at in retry_ats if at is not None), default=None)


def _attempt_outcome(
    *, user, number: str, factor: str, value: str, ip_address: str | None
) -> tuple[LinkResult, PersonalAccount | None]:
    """The outcome, and the account the number belongs to (for the audit) if there is one."""
    if link_attempts_retry_at(user=user, ip_address=ip_address):
        return LinkResult(LinkOutcome.RATE_LIMITED), None
    # The row lock makes a second consumer racing for the same account wait here until the
    # first one commits; it then sees the new link. The partial unique constraint on
    # AccountLink is the guarantee beneath it.
    account = PersonalAccount.objects.select_for_update().filter(number=number).first()
    if account is None:
        return LinkResult(LinkOutcome.UNKNOWN_NUMBER), None
    if not account.matches_factor(factor, value):
        return LinkResult(LinkOutcome.FACTOR_MISMATCH), account
    if not account.is_active:
        return LinkResult(LinkOutcome.ACCOUNT_CLOSED), account
    holder_id = account.links.active().values_list("user_id", flat=True).first()
    if holder_id is not None:
        outcome = LinkOutcome.ALREADY_YOURS if holder_id == user.pk else LinkOutcome.LINKED_TO_OTHER
        return LinkResult(outcome, account=account), account
    link = AccountLink.objects.create(user=user, account=account, factor=factor)
    return LinkResult(LinkOutcome.LINKED, link=link, account=account), account


def account_link(
    *, user, number: str, factor: str, value: str, ip_address: str | None
) -> LinkResult:
    """Link the account `number` to `user` if `value` matches its `factor` in the registry.

    Every attempt is recorded, whatever its outcome. The caller must answer every failure
    (unknown number, wrong factor, closed account) with the same words.
    """
    with transaction.atomic():
        # Always in this order (consumer, address, account row), so the locks cannot deadlock.
        advisory_lock(f"billing.link.user:{user.pk}")
        if ip_address:
            advisory_lock(f"billing.link.ip:{ip_address}")
        result, account = _attempt_outcome(
            user=user, number=number, factor=factor, value=value, ip_address=ip_address
        )
        if result.linked:
            person_changed(Shown.DASHBOARD, [user.pk])
        LinkAttempt.objects.create(
            user=user,
            ip_address=ip_address,
            account=account,
            number_masked=mask_account_number(number),
            number_digest=account_number_digest(number),
            factor=factor,
            outcome=result.outcome,
        )
    logger.info(
        "Link attempt: user=%s ip=%s account=%s outcome=%s",
        user.pk,
        ip_address,
        mask_account_number(number),
        result.outcome,
    )
    return result


def account_unlink(*, link: AccountLink, by, reason: str = "") -> bool:
    """End an active link, keeping it as history. False if it had already ended."""
    with transaction.atomic():
        ended = (
            AccountLink.objects.active()
            .filter(pk=link.pk)
            .update(unlinked_at=timezone.now(), unlinked_by=by, unlink_reason=reason)
        )
        person_changed(Shown.DASHBOARD, [link.user_id])
    if ended:
        logger.info(
            "Account unlinked: account=%s user=%s by=%s",
            mask_account_number(link.account.number),
            link.user_id,
            by.pk,
        )
    return bool(ended)


def link_dispute_create(*, user, account: PersonalAccount, comment: str = "") -> LinkDispute:
    """The consumer's message to support; a repeated press files nothing new. At most
    BILLING_LINK_DISPUTES_PER_DAY new ones a day (`lkk.limits`): RateLimited beyond."""
    with transaction.atomic():
        lock_key = f"billing.dispute:{user.pk}"
        dispute = recent_duplicate(
            LinkDispute.objects.open().filter(user=user, account=account),
            at_field="created_at",
            within=None,  # any open one: support is already on it
            lock_key=lock_key,
        )
        created = dispute is None
        if dispute is None:
            window_check(
                LinkDispute.objects.filter(user=user),
                at_field="created_at",
                limit=Limit(settings.BILLING_LINK_DISPUTES_PER_DAY, timedelta(days=1)),
                lock_key=lock_key,
            )
            dispute = LinkDispute.objects.create(user=user, account=account, comment=comment)
        if created:
            transaction.on_commit(
                partial(tasks.link_dispute_letter_send.enqueue, dispute_id=dispute.pk)
            )
    if created:
        logger.info(
            "Link dispute filed: account=%s user=%s", mask_account_number(account.number), user.pk
        )
    return dispute


def link_disputes_resolve(*, disputes: QuerySet[LinkDispute], by) -> int:
    """Mark the open ones among `disputes` as dealt with by `by`."""
    with transaction.atomic():
        return disputes.open().update(resolved_at=timezone.now(), resolved_by=by)
