"""Someone registers a victim's address first, with their own password and name. Whatever the
owner of the address does next — registers, asks for a new password, follows a link from a
letter — that unconfirmed registration never becomes the owner's account: its password and data
do not survive, and its consent records are never shown as the owner's consent."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertTemplateUsed

from accounts.models import User
from consents.models import ConsentRecord
from tests.accounts.conftest import link_in
from tests.conftest import PASSWORD, PortalClient

pytestmark = pytest.mark.django_db

VICTIM = "maria@example.ru"
ATTACKER_PASSWORD = "Пароль-захватчика-13"
ATTACKER_IP = "203.0.113.66"
VICTIM_IP = "198.51.100.7"


@pytest.fixture
def attackers_browser() -> PortalClient:
    """The attacker registers in a browser of their own: its session is not the victim's."""
    return PortalClient()


@pytest.fixture
def register(
    client, attackers_browser, registration_data, django_capture_on_commit_callbacks, mailoutbox
):
    """Registers through the form from `ip` (the attacker's from their own browser); returns
    the letters this registration sent."""

    def post(*, ip: str, **overrides) -> list:
        sent_before = len(mailoutbox)
        browser = attackers_browser if ip == ATTACKER_IP else client
        with django_capture_on_commit_callbacks(execute=True):
            response = browser.post(
                reverse("accounts:register"), registration_data(**overrides), REMOTE_ADDR=ip
            )
        assertTemplateUsed(response, "accounts/check_email.html")
        return mailoutbox[sent_before:]

    return post


@pytest.fixture
def attackers_registration(register):
    """The attacker's registration of the victim's address, and the letter it sent the victim."""
    [letter] = register(
        ip=ATTACKER_IP,
        email=VICTIM,
        last_name="Захватов",
        first_name="Пётр",
        password1=ATTACKER_PASSWORD,
        password2=ATTACKER_PASSWORD,
        consent_mailings="on",
    )
    return letter


def log_in(client, password: str):
    return client.post(reverse("accounts:login"), {"username": VICTIM, "password": password})


def test_the_owner_registering_again_replaces_the_unconfirmed_registration(
    client, attackers_registration, register
):
    [letter] = register(ip=VICTIM_IP, email=VICTIM)
    client.post(link_in(letter), {"password": PASSWORD})

    account = User.objects.get(email=VICTIM)
    assert account.is_active
    assert (account.last_name, account.first_name) == ("Кузнецова", "Мария")
    assert account.check_password(PASSWORD)
    assert not account.check_password(ATTACKER_PASSWORD)
    assert log_in(client, ATTACKER_PASSWORD).status_code == 200  # refused
    # The owner's consent is the owner's own; the attacker's stays with nobody's address.
    records = ConsentRecord.objects.filter(user=account)
    assert set(records.values_list("ip_address", flat=True)) == {VICTIM_IP}
    assert not records.filter(purpose__code="mailings").exists()
    replaced = ConsentRecord.objects.filter(ip_address=ATTACKER_IP).select_related("user")
    assert replaced.exists()
    for record in replaced:
        assert record.user_id != account.pk
        assert not record.user.is_active
        assert VICTIM not in record.user.email
        assert not record.user.has_usable_password()
        assert record.user.last_name == ""


def test_the_attackers_link_dies_once_the_owner_registers(client, attackers_registration, register):
    register(ip=VICTIM_IP, email=VICTIM)

    response = client.post(link_in(attackers_registration), {"password": ATTACKER_PASSWORD})

    assertContains(response, "Ссылка не действует", status_code=400)
    assert not User.objects.get(email=VICTIM).is_active


def test_following_the_attackers_link_does_not_confirm_it_without_its_password(
    client, attackers_registration
):
    """The owner of the mailbox opens the letter of a registration they did not make."""
    url = link_in(attackers_registration)

    page = client.get(url)
    assertContains(page, 'type="password"')
    response = client.post(url, {"password": "Угадать-не-выйдет-1"})

    assert response.status_code == 200
    assert response.context["form"].has_error("password")
    account = User.objects.get(email=VICTIM)
    assert not account.is_active
    assert account.awaiting_email_confirmation


def test_the_owner_can_cancel_a_registration_they_did_not_make(
    client, attackers_registration, register
):
    response = client.post(link_in(attackers_registration), {"cancel": "1"})

    assertContains(response, "Регистрация отменена")
    assert not User.objects.filter(email=VICTIM).exists()
    assert not ConsentRecord.objects.filter(user__email=VICTIM).exists()
    # The address is free for its owner's own registration.
    [letter] = register(ip=VICTIM_IP, email=VICTIM)
    client.post(link_in(letter), {"password": PASSWORD})
    assert log_in(client, PASSWORD).status_code == 302


def test_a_password_reset_never_opens_the_unconfirmed_registration(
    client, attackers_registration, mailoutbox, django_capture_on_commit_callbacks, register
):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": VICTIM})

    [letter] = mailoutbox
    assert letter.to == [VICTIM]
    assert "Регистрация не завершена" in letter.subject
    assert "/parol/vosstanovlenie/" not in link_in(letter)  # no way to set the password
    assert reverse("accounts:register") in letter.body
    # Following that letter's advice — registering — leaves nothing of the attacker's.
    [confirmation] = register(ip=VICTIM_IP, email=VICTIM)
    client.post(link_in(confirmation), {"password": PASSWORD})
    assert log_in(client, ATTACKER_PASSWORD).status_code == 200
    assert User.objects.get(email=VICTIM).last_name == "Кузнецова"


def test_the_attacker_registering_again_after_the_owner_gains_nothing(
    client, attackers_registration, register
):
    register(ip=VICTIM_IP, email=VICTIM)
    [attackers_second] = register(
        ip=ATTACKER_IP, email=VICTIM, password1=ATTACKER_PASSWORD, password2=ATTACKER_PASSWORD
    )

    # The victim opens the newest letter, as anyone would: without the attacker's password
    # it confirms nothing.
    client.post(link_in(attackers_second), {"password": PASSWORD})

    assert not User.objects.get(email=VICTIM).is_active


def test_the_attackers_browser_cannot_confirm_the_registration_without_the_link(
    attackers_browser, attackers_registration
):
    """The attacker's session holds the proof of their registration, but the link is in the
    victim's mailbox: without it the session opens nothing."""
    account = User.objects.get(email=VICTIM)

    attackers_browser.post(reverse("accounts:verify", args=["not-the-link"]), {"sign_in": "1"})

    account.refresh_from_db()
    assert account.awaiting_email_confirmation
    assert not account.is_active


def test_the_victims_browser_session_never_skips_the_attackers_password(
    client, attackers_registration, register
):
    """The victim registered in this browser; the attacker's registration, made since in
    another browser, replaced it. The victim's session proves nothing about the attacker's."""
    register(ip=VICTIM_IP, email=VICTIM)
    [attackers_letter] = register(
        ip=ATTACKER_IP, email=VICTIM, password1=ATTACKER_PASSWORD, password2=ATTACKER_PASSWORD
    )

    page = client.get(link_in(attackers_letter))
    assertContains(page, 'type="password"')
    client.post(link_in(attackers_letter), {"sign_in": "1"})

    account = User.objects.get(email=VICTIM)
    assert account.awaiting_email_confirmation
    assert "_auth_user_id" not in client.session
