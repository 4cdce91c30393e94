"""Redis down: the forms that take any address answer as usual and reveal no account."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertTemplateUsed

from tests.accounts.conftest import NEW_EMAIL

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("redis_down")]


def test_password_reset_answers_alike_for_a_known_and_an_unknown_address(
    client, alice, mailoutbox, django_capture_on_commit_callbacks
):
    url = reverse("accounts:password_reset")
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(url, {"email": alice.email})
        unknown = client.post(url, {"email": "nobody@example.ru"})

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert [letter.to for letter in mailoutbox] == [[alice.email]]  # the owner still gets it


def test_registration_and_send_again_answer_alike_for_a_taken_address(
    client, alice, registration_data, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answers = [
            client.post(reverse("accounts:register"), registration_data()),
            client.post(reverse("accounts:register"), registration_data(email=alice.email)),
            client.post(reverse("accounts:verification_resend"), {"email": NEW_EMAIL}),
            client.post(reverse("accounts:verification_resend"), {"email": alice.email}),
        ]

    for answer in answers:
        assert answer.status_code == 200
        assertTemplateUsed(answer, "accounts/check_email.html")


def test_signing_in_works_without_the_cache(client, alice):
    response = client.post(
        reverse("accounts:login"), {"username": alice.email, "password": "Надёжный-пароль-2026"}
    )

    assert response.status_code == 302
