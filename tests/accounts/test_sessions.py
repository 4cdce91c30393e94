"""«Где выполнен вход»: a person's sessions with the browser, a masked IP address and the time,
and ending the others."""

import time
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from accounts.models import SignedInSession
from accounts.signed_in import ACTIVITY_EVERY_SECONDS, KEEP_ALIVE_EVERY_SECONDS, masked_ip
from tests.conftest import BROWSER, PASSWORD, PortalClient

pytestmark = pytest.mark.django_db

SESSIONS = reverse("accounts:sessions")
END_OTHERS = reverse("accounts:sessions_end_others")
PHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


def device(email: str, *, ip: str, user_agent: str) -> PortalClient:
    """A browser on some device that signs in with the password."""
    client = PortalClient(REMOTE_ADDR=ip, HTTP_USER_AGENT=user_agent)
    response = client.post(reverse("accounts:login"), {"username": email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def end_url(row: SignedInSession) -> str:
    return reverse("accounts:session_end", args=[row.pk])


@pytest.mark.parametrize(
    ("ip", "masked"),
    [
        ("203.0.113.45", "203.0.113.*"),
        ("2001:db8:85a3:8d3:1319:8a2e:370:7348", "2001:0db8:85a3:*"),
        (None, ""),
        ("не адрес", ""),
    ],
)
def test_an_ip_address_keeps_only_its_network_part(ip, masked):
    assert masked_ip(ip) == masked


def test_signing_in_records_the_browser_and_the_masked_address(alice):
    client = device("alice@example.ru", ip="203.0.113.45", user_agent=BROWSER)

    row = SignedInSession.objects.get(user=alice)
    assert row.session_id == client.session.session_key
    assert row.masked_ip == "203.0.113.*"
    assert row.user_agent == BROWSER


def test_the_page_lists_each_device_with_its_browser_and_no_full_address(alice):
    laptop = device("alice@example.ru", ip="203.0.113.45", user_agent=BROWSER)
    device("alice@example.ru", ip="198.51.100.77", user_agent=PHONE)

    response = laptop.get(SESSIONS)

    assertContains(response, "Chrome 140 · Linux")
    assertContains(response, "Mobile Safari 17 · iOS")
    assertContains(response, "203.0.113.*")
    assertContains(response, "198.51.100.*")
    assertNotContains(response, "203.0.113.45")
    assertNotContains(response, "198.51.100.77")
    assertContains(response, "это устройство", count=1)
    shown = response.context["sessions"]
    assert [s.current for s in shown] == [True, False]


def test_a_person_ends_another_session_and_that_device_is_signed_out(alice):
    laptop = device("alice@example.ru", ip="203.0.113.45", user_agent=BROWSER)
    phone = device("alice@example.ru", ip="198.51.100.77", user_agent=PHONE)
    phone_row = SignedInSession.objects.get(session_id=phone.session.session_key)

    response = laptop.post(end_url(phone_row))

    assert response.status_code == 302
    assert not signed_in(phone)
    assert phone.get(SESSIONS).status_code == 302  # back to the sign-in
    assert signed_in(laptop)
    assert not SignedInSession.objects.filter(pk=phone_row.pk).exists()


def test_someone_else_cannot_end_my_session(alice, bob):
    mine = device("alice@example.ru", ip="203.0.113.45", user_agent=BROWSER)
    theirs = device("bob@example.ru", ip="198.51.100.77", user_agent=PHONE)
    my_row = SignedInSession.objects.get(user=alice)

    response = theirs.post(end_url(my_row))

    assert response.status_code == 404
    assert signed_in(mine)
    assertNotContains(theirs.get(SESSIONS), "203.0.113.*")


def test_the_current_session_is_not_ended_from_the_list(alice):
    laptop = device("alice@example.ru", ip="203.0.113.45", user_agent=BROWSER)
    row = SignedInSession.objects.get(user=alice)

    assert laptop.post(end_url(row)).status_code == 404
    assert signed_in(laptop)


def test_ending_all_others_keeps_this_one(alice, bob):
    laptop = device("alice@example.ru", ip="203.0.113.45", user_agent=BROWSER)
    others = [device("alice@example.ru", ip="198.51.100.77", user_agent=PHONE) for _ in range(2)]
    bobs = device("bob@example.ru", ip="198.51.100.8", user_agent=PHONE)

    response = laptop.post(END_OTHERS)

    assert response.status_code == 302
    assert signed_in(laptop)
    assert not any(signed_in(other) for other in others)
    assert signed_in(bobs)
    assertContains(laptop.get(SESSIONS), "Завершено сеансов на других устройствах: 2.")


def test_ending_needs_a_post(alice):
    laptop = device("alice@example.ru", ip="203.0.113.45", user_agent=BROWSER)

    assert laptop.get(END_OTHERS).status_code == 405


def test_an_expired_session_is_not_listed(alice):
    laptop = device("alice@example.ru", ip="203.0.113.45", user_agent=BROWSER)
    phone = device("alice@example.ru", ip="198.51.100.77", user_agent=PHONE)
    Session.objects.filter(session_key=phone.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )

    assert len(laptop.get(SESSIONS).context["sessions"]) == 1


def test_activity_is_written_at_most_every_few_minutes(alice):
    laptop = device("alice@example.ru", ip="203.0.113.45", user_agent=BROWSER)
    row = SignedInSession.objects.get(user=alice)
    laptop.get(reverse("accounts:profile"))
    assert SignedInSession.objects.get(pk=row.pk).last_seen_at == row.last_seen_at

    later = timezone.now() + timedelta(seconds=ACTIVITY_EVERY_SECONDS + 1)
    with (
        mock.patch("accounts.signed_in.time.time", return_value=later.timestamp()),
        mock.patch("accounts.signed_in.timezone.now", return_value=later),
    ):
        laptop.get(reverse("accounts:profile"))

    assert SignedInSession.objects.get(pk=row.pk).last_seen_at == later


def test_a_session_from_before_the_list_existed_is_listed_at_its_next_request(alice):
    laptop = device("alice@example.ru", ip="203.0.113.45", user_agent=BROWSER)
    SignedInSession.objects.all().delete()
    session = laptop.session
    del session["signed_in_seen"]
    session.save()

    response = laptop.get(SESSIONS)

    assert len(response.context["sessions"]) == 1


def test_the_page_costs_the_same_queries_however_many_sessions(alice, django_assert_num_queries):
    laptop = device("alice@example.ru", ip="203.0.113.45", user_agent=BROWSER)
    laptop.get(SESSIONS)

    # Session and user; the list (1); the pending-policy check, the PD-blocking banner and the
    # incident notices are kept per person since the first page, the session saved at most
    # once a minute.
    with django_assert_num_queries(3):
        laptop.get(SESSIONS)
    for _ in range(5):
        device("alice@example.ru", ip="198.51.100.77", user_agent=PHONE)
    with django_assert_num_queries(3):
        response = laptop.get(SESSIONS)
    assert len(response.context["sessions"]) == 6


def test_a_guest_is_sent_to_sign_in(client):
    response = client.get(SESSIONS)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_session_is_saved_again_at_most_once_a_minute(alice):
    """Its expiry (inactivity) renews without an UPDATE on every request."""
    laptop = device(alice.email, ip="203.0.113.7", user_agent=BROWSER)
    laptop.get(reverse("accounts:profile"))
    session = Session.objects.get(session_key=laptop.session.session_key)

    soon = time.time() + 30
    with mock.patch("accounts.signed_in.time.time", return_value=soon):
        laptop.get(reverse("accounts:profile"))
    assert Session.objects.get(pk=session.pk).expire_date == session.expire_date

    later = time.time() + KEEP_ALIVE_EVERY_SECONDS + 1
    with mock.patch("accounts.signed_in.time.time", return_value=later):
        laptop.get(reverse("accounts:profile"))
    assert Session.objects.get(pk=session.pk).expire_date > session.expire_date


def test_a_visitor_without_a_session_gets_none(client, policy_in_force):
    client.get(reverse("home"))

    assert not Session.objects.exists()


class TestEachRequestReadsTheSessionAndThePerson:
    """The session and the person come from the database on every request (`SESSION_ENGINE`,
    `AUTHENTICATION_BACKENDS`): whatever ended or changed them elsewhere counts at once."""

    def test_an_expired_session_signs_out(self, alice):
        laptop = device("alice@example.ru", ip="203.0.113.45", user_agent=BROWSER)
        Session.objects.filter(session_key=laptop.session.session_key).update(
            expire_date=timezone.now() - timedelta(seconds=1)
        )

        assert laptop.get(reverse("billing:dashboard")).status_code == 302

    def test_a_session_ended_elsewhere_signs_out(self, alice):
        laptop = device("alice@example.ru", ip="203.0.113.45", user_agent=BROWSER)
        Session.objects.filter(session_key=laptop.session.session_key).delete()

        assert laptop.get(reverse("billing:dashboard")).status_code == 302

    def test_a_closed_account_signs_out(self, alice):
        laptop = device("alice@example.ru", ip="203.0.113.45", user_agent=BROWSER)
        type(alice).objects.filter(pk=alice.pk).update(is_active=False)

        assert laptop.get(reverse("billing:dashboard")).status_code == 302

    def test_a_password_changed_elsewhere_signs_out(self, alice):
        laptop = device("alice@example.ru", ip="203.0.113.45", user_agent=BROWSER)
        alice.set_password("Другой-надёжный-пароль-2026")
        alice.save(update_fields=["password"])

        assert laptop.get(reverse("billing:dashboard")).status_code == 302

    def test_a_signed_in_person_is_served(self, alice):
        laptop = device("alice@example.ru", ip="203.0.113.45", user_agent=BROWSER)

        assertContains(laptop.get(reverse("billing:dashboard")), "Здравствуйте, Алиса")
