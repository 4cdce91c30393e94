"""Whoever types an address must not learn from the answer whether it has an account."""

import re

import pytest
from django.urls import reverse

from accounts.models import User
from consents.models import ConsentRecord
from tests.accounts.conftest import NEW_EMAIL, link_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def page_text(response, typed_email: str) -> str:
    """The page with the address the person typed and the per-request CSRF mask blanked out."""
    html = response.content.decode()
    if typed_email:
        html = html.replace(typed_email, "ADDRESS")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", html)


def assert_same_answer(first, second, *, first_email: str, second_email: str) -> None:
    """Same status, same templates, same page — but for the address the person typed in."""
    assert first.status_code == second.status_code
    assert [t.name for t in first.templates] == [t.name for t in second.templates]
    assert page_text(first, first_email) == page_text(second, second_email)


def test_registering_a_taken_address_answers_exactly_like_a_new_one(
    client, alice, registration_data, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        new = client.post(reverse("accounts:register"), registration_data())
        taken = client.post(
            reverse("accounts:register"), registration_data(email="Alice@Example.RU")
        )

    assert_same_answer(new, taken, first_email=NEW_EMAIL, second_email="alice@example.ru")
    assert User.objects.filter(email__iexact="alice@example.ru").count() == 1


def test_a_taken_address_gets_an_already_registered_letter_and_the_account_is_untouched(
    client, alice, registration_data, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:register"),
            registration_data(
                email="alice@example.ru", password1="Другой-пароль-77", password2="Другой-пароль-77"
            ),
        )

    alice.refresh_from_db()
    assert (alice.last_name, alice.phone, alice.is_active) == ("Иванова", "+79161234567", True)
    assert alice.check_password(PASSWORD)
    assert not ConsentRecord.objects.filter(user=alice).exists()
    [letter] = mailoutbox
    assert letter.to == ["alice@example.ru"]
    assert "У вас уже есть личный кабинет" in letter.subject
    assert "второй не создан" in letter.body
    assert reverse("accounts:login") in letter.body
    assert "/podtverzhdenie-pochty/" not in letter.body


def test_registering_an_address_still_awaiting_confirmation_starts_afresh(
    client, registration_data, mailoutbox, django_capture_on_commit_callbacks
):
    """The earlier registration never proved the address: the new one replaces it (see
    test_pre_registration), and the letter is the usual confirmation."""
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(reverse("accounts:register"), registration_data())
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(reverse("accounts:register"), registration_data())

    assert_same_answer(first, second, first_email=NEW_EMAIL, second_email=NEW_EMAIL)
    first_letter, second_letter = mailoutbox
    assert second_letter.subject == first_letter.subject
    assert link_in(second_letter).startswith("/podtverzhdenie-pochty/")
    assert User.objects.filter(email=NEW_EMAIL).count() == 1


def test_verification_resend_answers_the_same_for_any_address(
    client, alice, registration_data, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:register"), registration_data())
    mailoutbox.clear()
    url = reverse("accounts:verification_resend")

    with django_capture_on_commit_callbacks(execute=True):
        waiting = client.post(url, {"email": NEW_EMAIL})
        unknown = client.post(url, {"email": "nobody@example.ru"})
        active = client.post(url, {"email": "alice@example.ru"})

    assert_same_answer(waiting, unknown, first_email=NEW_EMAIL, second_email="nobody@example.ru")
    assert_same_answer(waiting, active, first_email=NEW_EMAIL, second_email="alice@example.ru")
    assert [letter.to for letter in mailoutbox] == [[NEW_EMAIL]]


def test_password_reset_answers_the_same_for_an_unknown_address(
    client, alice, mailoutbox, django_capture_on_commit_callbacks
):
    url = reverse("accounts:password_reset")

    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(url, {"email": "alice@example.ru"}, follow=True)
        unknown = client.post(url, {"email": "nobody@example.ru"}, follow=True)

    assert known.redirect_chain == unknown.redirect_chain
    assert_same_answer(known, unknown, first_email="", second_email="")
    assert [letter.to for letter in mailoutbox] == [["alice@example.ru"]]


def test_a_wrong_password_and_an_unknown_address_get_the_same_login_error(client, alice):
    url = reverse("accounts:login")

    wrong_password = client.post(url, {"username": "alice@example.ru", "password": "не тот"})
    unknown = client.post(url, {"username": "nobody@example.ru", "password": "не тот"})

    assert_same_answer(
        wrong_password, unknown, first_email="alice@example.ru", second_email="nobody@example.ru"
    )
    assert "Неверный адрес электронной почты или пароль" in unknown.content.decode()


def test_an_unconfirmed_account_is_named_only_to_whoever_typed_its_password(
    client, registration_data
):
    client.post(reverse("accounts:register"), registration_data())
    url = reverse("accounts:login")

    with_password = client.post(url, {"username": NEW_EMAIL, "password": PASSWORD})
    without = client.post(url, {"username": NEW_EMAIL, "password": "не тот"})
    unknown = client.post(url, {"username": "nobody@example.ru", "password": "не тот"})

    assert "ещё не подтверждён" in with_password.content.decode()
    assert_same_answer(without, unknown, first_email=NEW_EMAIL, second_email="nobody@example.ru")


def test_a_closed_account_is_named_only_to_whoever_typed_its_password(client, alice):
    User.objects.filter(pk=alice.pk).update(is_active=False)
    url = reverse("accounts:login")

    with_password = client.post(url, {"username": "alice@example.ru", "password": PASSWORD})
    without = client.post(url, {"username": "alice@example.ru", "password": "не тот"})

    assert "Учётная запись закрыта" in with_password.content.decode()
    assert "Неверный адрес электронной почты или пароль" in without.content.decode()
