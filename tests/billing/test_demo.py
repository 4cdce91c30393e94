"""Demo accounts for `make run`: idempotent, and the printed one can really be linked."""

import pytest

from billing import services
from billing.demo import DEMO_ACCOUNTS, seed_accounts
from billing.models import LinkOutcome, PersonalAccount

pytestmark = pytest.mark.django_db


def test_seeding_twice_gives_the_same_accounts():
    seed_accounts()
    first = list(PersonalAccount.objects.values_list("number", "address", "holder_name"))

    seed_accounts()

    assert list(PersonalAccount.objects.values_list("number", "address", "holder_name")) == first
    assert len(first) == DEMO_ACCOUNTS


def test_the_printed_demo_account_links_with_the_printed_surname(alice):
    number, surname = seed_accounts()

    result = services.account_link(
        user=alice, number=number, factor="surname", value=surname, ip_address=None
    )

    assert result.outcome == LinkOutcome.LINKED
