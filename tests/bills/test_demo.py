"""The demo consumer's bills for `make run`: 24 months, a recalculation, a corrected month, a
month paid late and an amount due now. Idempotent."""

import datetime

import pytest

from billing.demo import seed_accounts
from bills.balance import account_summaries
from bills.demo import seed_bills
from bills.models import Charge, ChargeLine, Payment

pytestmark = pytest.mark.django_db


def test_the_demo_account_has_two_years_of_bills(alice):
    seed_accounts()
    today = datetime.date(2026, 12, 1)

    account = seed_bills(consumer=alice, today=today)
    seed_bills(consumer=alice, today=today)

    assert Charge.objects.current().filter(account=account).count() == 24
    assert Charge.objects.filter(account=account, replaced_at__isnull=False).count() == 1
    assert ChargeLine.objects.filter(kind=ChargeLine.Kind.RECALCULATION).count() == 1
    late = [
        payment
        for payment in Payment.objects.filter(account=account)
        if payment.paid_on
        > Charge.objects.current().get(account=account, period=payment.period).due_date
    ]
    assert len(late) == 1
    balance = account_summaries([account.pk])[account.pk].balance
    assert balance.is_debt
    assert balance.due_date == datetime.date(2026, 12, 15)
