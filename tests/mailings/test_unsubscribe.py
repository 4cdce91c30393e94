"""The one-click unsubscribe link: no login, recorded as a withdrawal, safe from mail scanners."""

import pytest
from django.test import Client

from consents.models import ConsentPurpose, ConsentRecord
from mailings.recipients import mailings_consent_given
from mailings.unsubscribe import unsubscribe_token_make
from tests.mailings.conftest import recipients_of, unsubscribe_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice_link(consumer, mailing, send, mailoutbox):
    """The unsubscribe link from the letter Alice got."""
    consumer("alice@example.ru")
    send(mailing())
    [letter] = mailoutbox
    mailoutbox.clear()
    return unsubscribe_path(letter)


def withdrawals() -> list[ConsentRecord]:
    return list(
        ConsentRecord.objects.filter(
            purpose__code=ConsentPurpose.MAILINGS, action=ConsentRecord.Action.WITHDRAWN
        )
    )


def test_opening_the_link_only_asks(client, alice_link):
    page = client.get(alice_link)

    assert page.status_code == 200
    assert "Отписаться от рассылки" in page.content.decode()
    assert withdrawals() == []


def test_the_button_unsubscribes_without_login_and_is_recorded_as_a_withdrawal(
    client, alice_link, django_user_model
):
    response = client.post(
        alice_link, HTTP_USER_AGENT="Thunderbird/140", REMOTE_ADDR="198.51.100.4"
    )

    assert response.status_code == 200
    assert "Вы отписались от рассылки" in response.content.decode()
    [record] = withdrawals()
    assert record.user == django_user_model.objects.get(email="alice@example.ru")
    assert record.source == ConsentRecord.Source.EMAIL_LINK
    assert (record.ip_address, record.user_agent) == ("198.51.100.4", "Thunderbird/140")
    assert record.text.purpose.code == ConsentPurpose.MAILINGS
    assert not mailings_consent_given(record.user)


def test_a_mail_program_unsubscribes_in_one_click_without_a_csrf_token(alice_link):
    """RFC 8058: the mail program POSTs "List-Unsubscribe=One-Click", with no cookie at all."""
    mail_program = Client(enforce_csrf_checks=True)

    response = mail_program.post(alice_link, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert len(withdrawals()) == 1


def test_a_second_click_is_harmless(client, alice_link):
    client.post(alice_link)

    response = client.post(alice_link)

    assert response.status_code == 200
    assert len(withdrawals()) == 1
    assert "Вы уже не получаете рассылку" in client.get(alice_link).content.decode()


def test_a_tampered_link_is_refused_with_a_clear_page(client, alice_link):
    user_id, _signature = alice_link.rstrip("/").rsplit("/", 1)[1].split(":")
    forged = alice_link.replace(f"{user_id}:", f"{int(user_id) + 1}:")

    for response in (client.get(forged), client.post(forged)):
        assert response.status_code == 400
        assert "Ссылка не действует" in response.content.decode()
    assert withdrawals() == []


def test_a_link_for_an_account_that_no_longer_exists_is_refused(client, db):
    token = unsubscribe_token_make(user=type("Gone", (), {"pk": 999_999})())

    response = client.get(f"/rassylki/otpiska/{token}/")

    assert response.status_code == 400


def test_after_unsubscribing_the_next_mailing_does_not_come(
    client, alice_link, consumer, mailing, send, mailoutbox
):
    consumer("bob@example.ru")
    client.post(alice_link)

    send(mailing(subject="Ещё одна новость"))

    assert recipients_of(mailoutbox) == ["bob@example.ru"]
