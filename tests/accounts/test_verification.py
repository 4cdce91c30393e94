import time

import pytest
from django.core import signing
from django.urls import reverse
from pytest_django.asserts import assertContains, assertTemplateUsed

from accounts import tokens
from accounts.models import User
from tests.accounts.conftest import NEW_EMAIL, link_in
from tests.conftest import PASSWORD, PortalClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer(django_user_model):
    """Registered a moment ago; the address is not confirmed yet."""
    return django_user_model.objects.create_user(
        NEW_EMAIL, PASSWORD, first_name="Мария", is_active=False, awaiting_email_confirmation=True
    )


def verify_url(user) -> str:
    return reverse("accounts:verify", args=[tokens.verification_token_make(user=user)])


def test_opening_the_link_asks_to_confirm_and_changes_nothing_yet(client, newcomer):
    """Mail scanners open links too: only the button press opens the account."""
    response = client.get(verify_url(newcomer))

    assert response.status_code == 200
    assertContains(response, "Подтвердить адрес")
    newcomer.refresh_from_db()
    assert not newcomer.is_active


def test_confirming_opens_the_account_and_it_can_log_in(client, newcomer):
    response = client.post(verify_url(newcomer), {"password": PASSWORD})

    assertTemplateUsed(response, "accounts/verified.html")
    newcomer.refresh_from_db()
    assert newcomer.is_active
    assert not newcomer.awaiting_email_confirmation
    login = client.post(reverse("accounts:login"), {"username": NEW_EMAIL, "password": PASSWORD})
    assert login.status_code == 302


def test_a_second_click_changes_nothing(client, newcomer):
    url = verify_url(newcomer)
    client.post(url, {"password": PASSWORD})
    newcomer.refresh_from_db()

    response = client.get(url)

    assertTemplateUsed(response, "accounts/verified.html")
    client.post(url, {"password": PASSWORD})
    newcomer.refresh_from_db()
    assert newcomer.is_active


def test_an_old_link_never_reopens_an_account_closed_since(client, newcomer):
    url = verify_url(newcomer)
    client.post(url, {"password": PASSWORD})
    User.objects.filter(pk=newcomer.pk).update(is_active=False)  # e.g. consent withdrawn

    client.post(url, {"password": PASSWORD})

    newcomer.refresh_from_db()
    assert not newcomer.is_active


def test_an_expired_link_gets_a_clear_page_and_opens_nothing(client, newcomer, monkeypatch):
    signed_at = time.time() - tokens.LINK_MAX_AGE.total_seconds() - 60
    monkeypatch.setattr(signing.time, "time", lambda: signed_at)
    url = verify_url(newcomer)
    monkeypatch.undo()

    for response in (client.get(url), client.post(url, {"password": PASSWORD})):
        assert response.status_code == 400
        assertContains(response, "Ссылка устарела", status_code=400)
        assertContains(response, reverse("accounts:verification_resend"), status_code=400)
    newcomer.refresh_from_db()
    assert not newcomer.is_active


def test_a_link_just_within_three_days_still_works(client, newcomer, monkeypatch):
    signed_at = time.time() - tokens.LINK_MAX_AGE.total_seconds() + 60
    monkeypatch.setattr(signing.time, "time", lambda: signed_at)
    url = verify_url(newcomer)
    monkeypatch.undo()

    client.post(url, {"password": PASSWORD})

    newcomer.refresh_from_db()
    assert newcomer.is_active


def test_a_tampered_link_gets_a_clear_page_and_opens_nothing(client, newcomer, bob):
    token = tokens.verification_token_make(user=newcomer)
    _payload, timestamp, signature = token.split(":")
    forged_payload = signing.b64_encode(
        signing.JSONSerializer().dumps({"user": bob.pk, "address": "0" * 20})
    ).decode()

    for forged in (f"{forged_payload}:{timestamp}:{signature}", token[:-2] + "xx"):
        response = client.post(reverse("accounts:verify", args=[forged]), {"password": PASSWORD})
        assertContains(response, "Ссылка не действует", status_code=400)
    newcomer.refresh_from_db()
    assert not newcomer.is_active


def test_a_link_sent_before_the_address_changed_no_longer_works(client, newcomer):
    url = verify_url(newcomer)
    User.objects.filter(pk=newcomer.pk).update(email="other@example.ru")

    response = client.post(url, {"password": PASSWORD})

    assertContains(response, "Ссылка не действует", status_code=400)


def test_send_again_delivers_a_working_link(
    client, newcomer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:verification_resend"), {"email": "New.Consumer@example.ru"}
        )

    assertTemplateUsed(response, "accounts/check_email.html")
    [letter] = mailoutbox
    assert letter.to == [NEW_EMAIL]
    client.post(link_in(letter), {"password": PASSWORD})
    newcomer.refresh_from_db()
    assert newcomer.is_active


def test_send_again_refuses_a_malformed_address_next_to_the_field(client):
    response = client.post(reverse("accounts:verification_resend"), {"email": "не адрес"})

    assert response.context["form"].has_error("email", "invalid")


def test_send_again_sends_one_letter_per_cooldown_however_often_it_is_asked(
    client, newcomer, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.LETTER_COOLDOWN_SECONDS = 300
    resend = reverse("accounts:verification_resend")

    with django_capture_on_commit_callbacks(execute=True):
        answers = [client.post(resend, {"email": NEW_EMAIL}) for _ in range(5)]

    assert len(mailoutbox) == 1
    for answer in answers:  # the flood is answered like the first request
        assertTemplateUsed(answer, "accounts/check_email.html")


def test_password_reset_letters_are_limited_per_account_too(
    client, alice, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            client.post(reverse("accounts:password_reset"), {"email": alice.email})

    assert len(mailoutbox) == 1


@pytest.fixture
def registered_here(client, registration_data, django_capture_on_commit_callbacks, mailoutbox):
    """A newcomer registered in this browser (`client`); the letter's link."""
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:register"), registration_data())
    [letter] = mailoutbox
    return link_in(letter)


def test_the_browser_that_registered_confirms_without_the_password_and_is_signed_in(
    client, registered_here
):
    page = client.get(registered_here)
    assertContains(page, "Подтвердить адрес и войти")
    assert 'type="password"' not in page.content.decode()

    response = client.post(registered_here, {"sign_in": "1"})

    assert response.status_code == 302
    assert response.url == reverse("billing:dashboard")
    account = User.objects.get(email=NEW_EMAIL)
    assert account.is_active
    assert not account.awaiting_email_confirmation
    assert client.session["_auth_user_id"] == str(account.pk)
    dashboard = client.get(response.url)
    assertContains(dashboard, "Адрес подтверждён, вы вошли в личный кабинет.")


def test_another_browser_still_needs_the_password(registered_here):
    other_browser = PortalClient()

    page = other_browser.get(registered_here)
    assertContains(page, 'type="password"')
    other_browser.post(registered_here, {"sign_in": "1"})

    account = User.objects.get(email=NEW_EMAIL)
    assert account.awaiting_email_confirmation
    assert "_auth_user_id" not in other_browser.session


def test_registering_a_known_address_keeps_a_session_all_the_same(client, alice, registration_data):
    """The session cookie comes with every registration's answer, so it tells nothing about
    whether the address had an account."""
    response = client.post(reverse("accounts:register"), registration_data(email=alice.email))

    assertTemplateUsed(response, "accounts/check_email.html")
    assert "sessionid" in response.cookies
