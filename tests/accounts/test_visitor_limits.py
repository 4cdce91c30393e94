"""The forms a visitor can send about any address — registration, "send again", password
reset — cannot be made into a mail cannon: limited per IP address (a refusal that says nothing
about accounts), and per address for the confirmation letters of repeated registrations."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from tests.accounts.conftest import NEW_EMAIL

pytestmark = pytest.mark.django_db

IP = "203.0.113.50"


def test_a_visitor_gets_a_limited_number_of_these_forms_an_hour(
    client, alice, registration_data, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.VISITOR_FORMS_PER_IP_PER_HOUR = 3
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:register"), registration_data(), REMOTE_ADDR=IP)
        client.post(
            reverse("accounts:verification_resend"), {"email": "x@example.ru"}, REMOTE_ADDR=IP
        )
        client.post(reverse("accounts:password_reset"), {"email": "y@example.ru"}, REMOTE_ADDR=IP)
        refused = [
            client.post(
                reverse("accounts:register"),
                registration_data(email="other@example.ru"),
                REMOTE_ADDR=IP,
            ),
            client.post(
                reverse("accounts:verification_resend"), {"email": NEW_EMAIL}, REMOTE_ADDR=IP
            ),
            client.post(reverse("accounts:password_reset"), {"email": alice.email}, REMOTE_ADDR=IP),
        ]

    for answer in refused:  # the same refusal for a known address and an unknown one
        assertContains(answer, "Слишком много отправок подряд")
    assert len(mailoutbox) == 1  # the first registration's letter
    elsewhere = client.post(
        reverse("accounts:password_reset"), {"email": alice.email}, REMOTE_ADDR="198.51.100.1"
    )
    assert elsewhere.status_code == 302


def test_registering_one_unconfirmed_address_again_and_again_sends_few_letters(
    client, registration_data, mailoutbox, django_capture_on_commit_callbacks
):
    for _ in range(6):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("accounts:register"), registration_data())

    assert len(mailoutbox) == 3
    assert {tuple(letter.to) for letter in mailoutbox} == {(NEW_EMAIL,)}
