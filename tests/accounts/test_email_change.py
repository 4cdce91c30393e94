import time

import pytest
from django.core import signing
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from accounts import tokens
from tests.accounts.conftest import link_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

CHANGE = reverse("accounts:email_change")


def request_change(client, new_email: str = "alice.new@example.ru", password: str = PASSWORD):
    return client.post(CHANGE, {"new_email": new_email, "password": password})


def confirm_url(user, new_email: str = "alice.new@example.ru") -> str:
    token = tokens.email_change_token_make(user=user, new_email=new_email)
    return reverse("accounts:email_change_confirm", args=[token])


def test_the_new_address_is_confirmed_before_it_takes_effect_and_the_old_one_is_told(
    client, alice, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(alice)

    with django_capture_on_commit_callbacks(execute=True):
        response = request_change(client, "Alice.New@Example.ru")

    assertContains(response, "alice.new@example.ru")
    alice.refresh_from_db()
    assert alice.email == "alice@example.ru"
    [letter] = mailoutbox
    assert letter.to == ["alice.new@example.ru"]

    assertContains(client.get(link_in(letter)), "Сменить адрес")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link_in(letter), follow=True)

    assertRedirects(response, reverse("accounts:profile"))
    assertContains(response, "Адрес электронной почты изменён.")
    alice.refresh_from_db()
    assert alice.email == "alice.new@example.ru"
    notice = mailoutbox[-1]
    assert notice.to == ["alice@example.ru"]
    assert "alice.new@example.ru" in notice.body


def test_a_wrong_password_or_the_same_address_is_refused(client, alice, mailoutbox):
    client.force_login(alice)

    wrong = request_change(client, password="не тот")
    same = request_change(client, "ALICE@example.ru")

    assert wrong.context["form"].has_error("password", "wrong_password")
    assert same.context["form"].has_error("new_email", "same_email")
    assert mailoutbox == []


def test_someone_elses_link_is_not_found(client, alice, bob):
    client.force_login(bob)
    url = confirm_url(alice)

    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    alice.refresh_from_db()
    assert alice.email == "alice@example.ru"


def test_confirming_needs_login_and_comes_back_to_the_link(client, alice):
    url = confirm_url(alice)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_an_address_taken_meanwhile_is_not_switched_to(client, alice, bob):
    client.force_login(alice)

    response = client.post(confirm_url(alice, "bob@example.ru"))

    assertContains(response, "уже зарегистрирован другой личный кабинет", status_code=409)
    alice.refresh_from_db()
    assert alice.email == "alice@example.ru"


def test_an_expired_link_gets_a_clear_page(client, alice, monkeypatch):
    signed_at = time.time() - tokens.LINK_MAX_AGE.total_seconds() - 60
    monkeypatch.setattr(signing.time, "time", lambda: signed_at)
    url = confirm_url(alice)
    monkeypatch.undo()
    client.force_login(alice)

    response = client.post(url)

    assertContains(response, "Ссылка устарела", status_code=400)
    alice.refresh_from_db()
    assert alice.email == "alice@example.ru"


def test_a_link_is_stale_once_the_address_has_changed(client, alice):
    first = confirm_url(alice, "first@example.ru")
    second = confirm_url(alice, "second@example.ru")
    client.force_login(alice)
    client.post(second)

    response = client.post(first)

    assertContains(response, "Ссылка не действует", status_code=400)
    alice.refresh_from_db()
    assert alice.email == "second@example.ru"


def test_email_change_letters_are_limited_per_hour_with_a_clear_answer(
    client, alice, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.EMAIL_CHANGE_LETTERS_PER_HOUR = 2
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        request_change(client, "first@example.ru")
        request_change(client, "second@example.ru")
        refused = request_change(client, "third@example.ru")

    assert [letter.to for letter in mailoutbox] == [["first@example.ru"], ["second@example.ru"]]
    assertContains(refused, "Слишком много отправок подряд")
    assertContains(refused, "third@example.ru")  # the form keeps what was typed
