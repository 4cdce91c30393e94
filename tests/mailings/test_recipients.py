"""Who gets a mailing: only consumers whose mailings consent is in force now."""

import pytest
from django.utils import timezone

from consents.models import ConsentPurpose, ConsentRecord, ConsentText
from mailings.recipients import mailing_recipients
from tests.mailings.conftest import recipients_of

pytestmark = pytest.mark.django_db


def test_a_consumer_who_agreed_receives_the_mailing(consumer, mailing, send, mailoutbox):
    consumer("alice@example.ru")

    send(mailing())

    assert recipients_of(mailoutbox) == ["alice@example.ru"]


def test_withdrawn_consumer_receives_no_mailing(consumer, withdraw, mailing, send, mailoutbox):
    consumer("alice@example.ru")
    withdraw(consumer("bob@example.ru"))

    send(mailing())

    assert recipients_of(mailoutbox) == ["alice@example.ru"]


def test_a_consumer_never_asked_receives_no_mailing(consumer, mailing, send, mailoutbox):
    consumer("alice@example.ru")
    consumer("bob@example.ru", mailings=False)

    send(mailing())

    assert recipients_of(mailoutbox) == ["alice@example.ru"]


def test_the_latest_record_decides(consumer, withdraw, give, mailing, send, mailoutbox):
    changed_mind = consumer("alice@example.ru")
    withdraw(changed_mind)
    give(changed_mind)
    withdrew_later = consumer("bob@example.ru")
    give(withdrew_later)
    withdraw(withdrew_later)

    send(mailing())

    assert recipients_of(mailoutbox) == ["alice@example.ru"]


def test_blocked_user_receives_no_mailing(consumer, block, mailing, send, mailoutbox):
    consumer("alice@example.ru")
    block(consumer("bob@example.ru"))

    send(mailing())

    assert recipients_of(mailoutbox) == ["alice@example.ru"]


def test_a_consumer_whose_blocking_was_lifted_receives_the_mailing_again(
    consumer, block, mailing, send, mailoutbox
):
    block(consumer("alice@example.ru"), lifted=True)

    send(mailing())

    assert recipients_of(mailoutbox) == ["alice@example.ru"]


def test_closed_and_unconfirmed_accounts_receive_no_mailing(consumer, mailing, send, mailoutbox):
    consumer("alice@example.ru")
    consumer("closed@example.ru", is_active=False)
    consumer("unconfirmed@example.ru", is_active=False, awaiting_email_confirmation=True)

    send(mailing())

    assert recipients_of(mailoutbox) == ["alice@example.ru"]


@pytest.mark.parametrize("consumers", [1, 20])
def test_the_recipients_are_one_query_however_many_consumers(
    consumer, withdraw, block, consumers, django_assert_num_queries
):
    for number in range(consumers):
        person = consumer(f"consumer{number}@example.ru")
        if number % 3 == 1:
            withdraw(person)
        elif number % 3 == 2:
            block(person)

    with django_assert_num_queries(1):
        found = list(mailing_recipients())

    assert len(found) == len(range(0, consumers, 3))


def test_records_of_the_same_instant_count_in_the_order_they_were_written(
    consumer, mailing, send, mailoutbox
):
    text = ConsentText.objects.current_for_code(ConsentPurpose.MAILINGS)
    instant = timezone.now()
    for email, actions in [
        ("alice@example.ru", ["withdrawn", "given"]),
        ("bob@example.ru", ["given", "withdrawn"]),
    ]:
        person = consumer(email, mailings=False)
        for action in actions:
            ConsentRecord.objects.create(
                user=person,
                purpose=text.purpose,
                text=text,
                action=action,
                created_at=instant,
                source=ConsentRecord.Source.PROFILE,
            )

    send(mailing())

    assert recipients_of(mailoutbox) == ["alice@example.ru"]
