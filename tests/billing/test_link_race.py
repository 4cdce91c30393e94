"""Two consumers racing for one account, in two real transactions: exactly one wins."""

import threading
import time

import pytest
from django.db import IntegrityError, connection, transaction

from billing import services
from billing.models import AccountLink, LinkOutcome, PersonalAccount


# A transactional test empties the tables afterwards; serialized rollback restores the data that
# migrations created (consent purposes and texts) for the tests that come after.
@pytest.mark.django_db(transaction=True)
def test_two_consumers_linking_one_account_at_once_one_wins_the_other_is_told(
    alice, bob, account, monkeypatch
):
    # The first to lock the account keeps it locked a moment longer, so the second really
    # arrives while the first transaction is still open.
    matches_factor = PersonalAccount.matches_factor

    def slow_matches_factor(self, factor, value):
        time.sleep(0.3)
        return matches_factor(self, factor, value)

    monkeypatch.setattr(PersonalAccount, "matches_factor", slow_matches_factor)
    start = threading.Barrier(2)
    results = {}

    def link(user, ip_address):
        try:
            start.wait()
            results[user.email] = services.account_link(
                user=user,
                number=account.number,
                factor="surname",
                value="Королёва",
                ip_address=ip_address,
            ).outcome
        finally:
            connection.close()

    threads = [
        threading.Thread(target=link, args=(alice, "198.51.100.1")),
        threading.Thread(target=link, args=(bob, "198.51.100.2")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(results.values()) == [LinkOutcome.LINKED, LinkOutcome.LINKED_TO_OTHER]
    winner = next(email for email, outcome in results.items() if outcome == LinkOutcome.LINKED)
    assert list(AccountLink.objects.active().values_list("user__email", flat=True)) == [winner]


@pytest.mark.django_db
def test_the_database_refuses_a_second_active_link_to_one_account(alice, bob, account):
    AccountLink.objects.create(user=alice, account=account, factor="surname")

    with pytest.raises(IntegrityError), transaction.atomic():
        AccountLink.objects.create(user=bob, account=account, factor="surname")


@pytest.mark.django_db
def test_an_ended_link_does_not_stop_the_account_being_linked_again(alice, bob, account):
    old = AccountLink.objects.create(user=alice, account=account, factor="surname")
    services.account_unlink(link=old, by=alice)

    AccountLink.objects.create(user=bob, account=account, factor="surname")

    assert AccountLink.objects.filter(account=account).count() == 2
