"""The second factor: turning it on in «Мои данные», the two-step sign-in, recovery codes, the
lockout that counts wrong codes with wrong passwords, turning it off."""

import time
from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from accounts import second_factor
from tests.conftest import PASSWORD, app_code, verify_second_factor

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
CODE = reverse("accounts:second_factor_code")
SETUP = reverse("accounts:second_factor")
RENEW = reverse("accounts:recovery_codes_renew")
TURN_OFF = reverse("accounts:second_factor_turn_off")
LIMIT = settings.AXES_FAILURE_LIMIT
IP = "198.51.100.10"


def log_in(client, email: str = "alice@example.ru", password: str = PASSWORD, **extra):
    return client.post(LOGIN, {"username": email, "password": password, **extra}, REMOTE_ADDR=IP)


def enter(client, code: str):
    return client.post(CODE, {"code": code}, REMOTE_ADDR=IP)


def signed_in_user_id(client) -> str | None:
    return client.session.get("_auth_user_id")


class TestTurningItOn:
    def test_the_page_shows_a_qr_code_as_an_image_and_the_secret_as_text(self, client, alice):
        client.force_login(alice)

        response = client.get(SETUP)

        device = TOTPDevice.objects.get(user=alice)
        assert not device.confirmed
        assertContains(response, 'src="data:image/svg+xml;')
        assertContains(response, "QR-код для приложения-аутентификатора")
        # The strict CSP forbids inline scripts and styles: the page has neither.
        assertNotContains(response, "<script")
        assertNotContains(response, "style=")
        secret = response.context["enrolment"].secret.replace(" ", "")
        assert secret == second_factor._base32(device.bin_key)

    def test_the_same_secret_stays_until_a_code_confirms_it(self, client, alice):
        client.force_login(alice)

        first = client.get(SETUP).context["enrolment"].secret
        second = client.get(SETUP).context["enrolment"].secret

        assert first == second
        assert TOTPDevice.objects.filter(user=alice).count() == 1

    def test_a_code_from_the_app_turns_it_on_and_shows_ten_recovery_codes_once(self, client, alice):
        client.force_login(alice)
        client.get(SETUP)
        device = TOTPDevice.objects.get(user=alice)

        response = client.post(SETUP, {"code": app_code(device), "password": PASSWORD})

        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        codes = response.context["codes"]
        assert len(codes) == 10
        for code in codes:
            assertContains(response, code)
        device.refresh_from_db()
        assert device.confirmed
        assert second_factor.is_enrolled(alice)
        assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
        # Afterwards the page says it is on and shows no codes again.
        page = client.get(SETUP)
        assertContains(page, "включён")
        for code in codes:
            assertNotContains(page, code)

    def test_a_wrong_code_or_password_leaves_it_off_with_a_russian_message(self, client, alice):
        client.force_login(alice)
        client.get(SETUP)
        device = TOTPDevice.objects.get(user=alice)

        wrong_code = client.post(SETUP, {"code": "000000", "password": PASSWORD})
        wrong_password = client.post(SETUP, {"code": app_code(device), "password": "не тот"})

        assertContains(wrong_code, "Код не подошёл")
        assertContains(wrong_password, "Неверный пароль.")
        assert not second_factor.is_enrolled(alice)

    def test_a_guest_is_sent_to_sign_in(self, client):
        response = client.get(SETUP)

        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)


class TestSigningIn:
    def test_the_password_alone_does_not_sign_in(self, client, alice, enrol):
        enrol(alice)

        response = log_in(client)

        assertRedirects(response, CODE, fetch_redirect_response=False)
        assert signed_in_user_id(client) is None

    def test_the_app_code_signs_in_and_goes_where_the_person_was_going(self, client, alice, enrol):
        device, _ = enrol(alice)
        log_in(client, next="/kabinet/dannye/")

        response = enter(client, app_code(device))

        assertRedirects(response, "/kabinet/dannye/", fetch_redirect_response=False)
        assert signed_in_user_id(client) == str(alice.pk)
        assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id

    def test_a_code_is_accepted_only_once(self, client, alice, enrol):
        device, _ = enrol(alice)
        code = app_code(device)
        log_in(client)
        enter(client, code)
        client.post(reverse("accounts:logout"))

        log_in(client)
        response = enter(client, code)

        assertContains(response, "Неверный код")
        assert signed_in_user_id(client) is None

    def test_a_recovery_code_signs_in_once_and_the_page_says_how_many_are_left(
        self, client, alice, enrol
    ):
        _, codes = enrol(alice)
        log_in(client)

        response = enter(client, f" {codes[0].upper()[:4]}-{codes[0][4:]} ")

        assert signed_in_user_id(client) == str(alice.pk)
        assertContains(client.get(response["Location"]), "Осталось резервных кодов: 9.")
        client.post(reverse("accounts:logout"))
        log_in(client)
        assertContains(enter(client, codes[0]), "Неверный код")
        assert signed_in_user_id(client) is None

    def test_the_code_step_without_a_password_step_goes_back_to_the_login(self, client, alice):
        response = client.get(CODE)

        assertRedirects(response, LOGIN, fetch_redirect_response=False)

    def test_the_password_step_expires_after_five_minutes(self, client, alice, enrol):
        device, _ = enrol(alice)
        log_in(client)

        later = time.time() + second_factor.PENDING_SECONDS + 1
        with mock.patch("accounts.second_factor.time.time", return_value=later):
            response = enter(client, app_code(device))

        assertRedirects(response, LOGIN, fetch_redirect_response=False)
        assert signed_in_user_id(client) is None

    def test_a_consumer_without_a_second_factor_signs_in_with_the_password(self, client, alice):
        response = log_in(client)

        assert response["Location"] == resolve_url(settings.LOGIN_REDIRECT_URL)
        assert signed_in_user_id(client) == str(alice.pk)


class TestLockout:
    def test_wrong_codes_lock_the_sign_in_out(self, client, alice, enrol):
        device, _ = enrol(alice)
        log_in(client)

        responses = [enter(client, "123456") for _ in range(LIMIT)]

        assert [r.status_code for r in responses] == [200] * (LIMIT - 1) + [429]
        # The right code and the right password are refused too until the lockout ends.
        assert enter(client, app_code(device)).status_code in (302, 429)
        assert signed_in_user_id(client) is None
        assert log_in(client).status_code == 429

    def test_wrong_passwords_and_wrong_codes_count_together(self, client, alice, enrol):
        enrol(alice)
        for _ in range(LIMIT - 2):
            log_in(client, password="не тот пароль")
        log_in(client)
        enter(client, "123456")

        assert enter(client, "654321").status_code == 429

    def test_the_right_password_does_not_start_the_count_again(self, client, alice, enrol):
        enrol(alice)
        for _ in range(LIMIT - 1):
            log_in(client)
            enter(client, "123456")

        log_in(client)

        assert enter(client, "123456").status_code == 429

    def test_a_full_sign_in_starts_the_count_again(self, client, alice, enrol):
        device, _ = enrol(alice)
        log_in(client)
        for _ in range(LIMIT - 1):
            enter(client, "123456")
        TOTPDevice.objects.update(throttling_failure_count=0)  # the app's own back-off is over
        enter(client, app_code(device))
        assert signed_in_user_id(client) == str(alice.pk)
        client.post(reverse("accounts:logout"))

        log_in(client)

        assert enter(client, "123456").status_code == 200

    def test_after_a_wrong_code_the_app_asks_to_wait_a_little(self, client, alice, enrol):
        device, _ = enrol(alice)
        log_in(client)
        for _ in range(LIMIT - 2):  # django-otp then makes the app wait 2^(n-1) seconds
            enter(client, "123456")

        response = enter(client, app_code(device))

        assertContains(response, "Подождите минуту")
        assert signed_in_user_id(client) is None

    def test_the_sign_in_log_never_keeps_the_code(self, client, alice, enrol):
        enrol(alice)
        log_in(client)
        enter(client, "314159")

        attempt = AccessAttempt.objects.get()
        assert "314159" not in attempt.post_data
        assert attempt.username == "alice@example.ru"


class TestManaging:
    def test_new_recovery_codes_replace_the_old_ones(self, client, alice, enrol):
        _, old = enrol(alice)
        client.force_login(alice)
        verify_second_factor(client, alice)

        response = client.post(RENEW, {"renew-password": PASSWORD})

        new = response.context["codes"]
        assert set(StaticToken.objects.values_list("token", flat=True)) == set(new)
        assert not set(old) & set(new)

    def test_new_recovery_codes_need_the_password(self, client, alice, enrol):
        _, old = enrol(alice)
        client.force_login(alice)
        verify_second_factor(client, alice)

        response = client.post(RENEW, {"renew-password": "не тот"})

        assertContains(response, "Неверный пароль.", status_code=400)
        assert set(StaticToken.objects.values_list("token", flat=True)) == set(old)

    def test_a_session_without_the_code_is_asked_for_it_before_any_change(
        self, client, alice, enrol
    ):
        """A session signed in with the password before the factor was turned on elsewhere."""
        _, old = enrol(alice)
        client.force_login(alice)  # a consumer's force_login: the password only

        for response in (
            client.get(SETUP),
            client.post(RENEW, {"renew-password": PASSWORD}),
            client.post(TURN_OFF, {"off-password": PASSWORD}),
        ):
            assert response.status_code == 302
            assert response["Location"].startswith(CODE)
        assert set(StaticToken.objects.values_list("token", flat=True)) == set(old)
        assert second_factor.is_enrolled(alice)

    def test_a_consumer_turns_it_off_with_the_password(self, client, alice, enrol):
        enrol(alice)
        client.force_login(alice)
        verify_second_factor(client, alice)

        refused = client.post(TURN_OFF, {"off-password": "не тот"})
        assert second_factor.is_enrolled(alice)
        assertContains(refused, "Неверный пароль.", status_code=400)

        response = client.post(TURN_OFF, {"off-password": PASSWORD})

        assertRedirects(response, reverse("accounts:profile"), fetch_redirect_response=False)
        assert not second_factor.is_enrolled(alice)
        assert not StaticToken.objects.exists()
        client.post(reverse("accounts:logout"))
        assert log_in(client)["Location"] == resolve_url(settings.LOGIN_REDIRECT_URL)

    def test_staff_cannot_turn_it_off(self, client, admin_user, enrol):
        enrol(admin_user)
        client.force_login(admin_user)

        client.post(TURN_OFF, {"off-password": PASSWORD})

        assert second_factor.is_enrolled(admin_user)
        assertNotContains(client.get(SETUP), "off-password")

    def test_the_profile_links_to_the_second_factor_and_the_sessions(self, client, alice):
        client.force_login(alice)

        response = client.get(reverse("accounts:profile"))

        assertContains(response, f'href="{SETUP}"')
        assertContains(response, f'href="{reverse("accounts:sessions")}"')


class TestThePersonOnTheRequest:
    """`request.user` is the person behind one lazy object, told whether they passed the second
    factor, and once read the person itself: django-otp's own middleware wrapped Django's lazy
    object in a second one, which every use of the person on a page went through."""

    def test_a_consumer_once_read_is_the_person_itself_and_not_verified(self, client, alice):
        client.force_login(alice)
        request = client.get(reverse("billing:dashboard")).wsgi_request

        assert type(request.user) is type(alice)
        assert request.user.is_verified() is False

    def test_staff_with_the_second_factor_are_verified(self, client, admin_user):
        client.force_login(admin_user)
        request = client.get(reverse("admin:index")).wsgi_request

        assert type(request.user) is type(admin_user)
        assert request.user.is_verified() is True
        assert request.user.otp_device.user_id == admin_user.pk
