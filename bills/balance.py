"""What a consumer owes, in words: «К оплате 1 234,56 ₽ до 15 января», «Переплата 120,00 ₽»,
«Задолженности нет». One place for the rule and the wording; the dashboard, the charges page and
the receipt all use it."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from bills.models import Charge, Payment, month_end
from workcalendar.terms import moscow_date

NBSP = "\u00a0"
KOPECK = Decimal("0.01")


def rubles(amount: Decimal) -> str:
    """`1 234,56 ₽` (no-break spaces, so a line never breaks inside an amount)."""
    amount = abs(amount).quantize(KOPECK, rounding=ROUND_HALF_UP)
    whole, _dot, kopecks = f"{amount:.2f}".partition(".")
    groups = f"{int(whole):,}".replace(",", NBSP)
    return f"{groups},{kopecks}{NBSP}₽"


def kopecks(amount: Decimal) -> int:
    return int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def day_and_month(day: datetime.date, *, today: datetime.date) -> str:
    """«15 января», with the year when it is not this year's: «15 января 2025 г.»"""
    text = date_format(day, "j E")
    return text if day.year == today.year else f"{text} {day.year}{NBSP}г."


@dataclass(frozen=True)
class Balance:
    """The state of an account after its latest month and the payments received since.

    `owed` > 0 is a debt to pay by `due_date`; < 0 an overpayment.
    """

    owed: Decimal
    due_date: datetime.date
    today: datetime.date

    @property
    def is_debt(self) -> bool:
        return self.owed > 0

    @property
    def is_overpayment(self) -> bool:
        return self.owed < 0

    @property
    def is_overdue(self) -> bool:
        return self.is_debt and self.today > self.due_date

    @property
    def amount_to_pay(self) -> Decimal:
        return max(self.owed, Decimal(0))

    @property
    def text(self) -> str:
        if self.is_overdue:
            return _(
                "К оплате %(amount)s — срок оплаты был до %(date)s. "
                "Пожалуйста, оплатите, как только сможете"
            ) % {
                "amount": rubles(self.owed),
                "date": day_and_month(self.due_date, today=self.today),
            }
        if self.is_debt:
            return _("К оплате %(amount)s до %(date)s") % {
                "amount": rubles(self.owed),
                "date": day_and_month(self.due_date, today=self.today),
            }
        if self.is_overpayment:
            return _("Переплата %(amount)s") % {"amount": rubles(self.owed)}
        return _("Задолженности нет")


def next_month(period: datetime.date) -> datetime.date:
    return month_end(period) + datetime.timedelta(days=1)


def balance_of(charge: Charge, *, paid_since: Decimal, today: datetime.date) -> Balance:
    """The month's closing balance less what was paid after the month closed."""
    return Balance(owed=charge.closing_balance - paid_since, due_date=charge.due_date, today=today)


@dataclass(frozen=True)
class AccountSummary:
    latest: Charge | None
    balance: Balance | None
    last_payment: Payment | None


def account_summaries(account_ids: Iterable[int]) -> dict[int, AccountSummary]:
    """The latest month, the balance and the last payment of each account: three queries
    whatever the number of accounts and the years of history (index scans per account)."""
    ids = list(account_ids)
    if not ids:
        return {}
    today = moscow_date(timezone.now())
    latest = {
        charge.account_id: charge
        for charge in Charge.objects.current()
        .filter(account_id__in=ids)
        .order_by("account_id", "-period")
        .distinct("account_id")
    }
    paid_since: dict[int, Decimal] = {}
    if latest:
        after_latest = Q()
        for account_id, charge in latest.items():
            after_latest |= Q(account_id=account_id, paid_on__gte=next_month(charge.period))
        paid_since = dict(
            Payment.objects.filter(after_latest)
            .values("account_id")
            .annotate(total=Sum("amount"))
            .values_list("account_id", "total")
        )
    last_payments = {
        payment.account_id: payment
        for payment in Payment.objects.filter(account_id__in=ids)
        .order_by("account_id", "-paid_on", "-pk")
        .distinct("account_id")
    }
    return {
        account_id: AccountSummary(
            latest=latest.get(account_id),
            balance=balance_of(
                latest[account_id],
                paid_since=paid_since.get(account_id, Decimal(0)),
                today=today,
            )
            if account_id in latest
            else None,
            last_payment=last_payments.get(account_id),
        )
        for account_id in ids
    }
