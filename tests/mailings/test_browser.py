"""What a consumer does in a real browser: unsubscribe with the link from a mailing letter."""

import pytest
from playwright.sync_api import Page, expect

from consents.models import ConsentPurpose, ConsentRecord
from tests.mailings.conftest import unsubscribe_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_consumer_unsubscribes_with_the_link_from_a_letter(
    page: Page, live_server, consumer, mailing, send, mailoutbox
):
    consumer("alice@example.ru")
    send(mailing())
    [letter] = mailoutbox

    page.goto(live_server.url + unsubscribe_path(letter))  # no session: nobody is signed in
    expect(page.get_by_role("heading", level=1)).to_have_text("Отписка от рассылки")
    page.get_by_role("button", name="Отписаться от рассылки").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Вы отписались от рассылки")
    record = ConsentRecord.objects.get(
        purpose__code=ConsentPurpose.MAILINGS, action=ConsentRecord.Action.WITHDRAWN
    )
    assert record.source == ConsentRecord.Source.EMAIL_LINK
    assert record.ip_address == "127.0.0.1"
