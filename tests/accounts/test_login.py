from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse
from pytest_django.asserts import assertContains, assertTemplateUsed

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
LIMIT = settings.AXES_FAILURE_LIMIT


def log_in(client, email: str, password: str, *, ip: str = "198.51.100.10"):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=ip)


def fail(client, times: int, *, email: str = "alice@example.ru", ip: str = "198.51.100.10"):
    return [log_in(client, email, "не тот пароль", ip=ip) for _ in range(times)]


def test_login_form_asks_for_the_email_by_its_russian_name(client):
    response = client.get(LOGIN)

    assertContains(response, '<label for="id_username">Электронная почта')
    assertContains(response, 'type="email"')


def test_a_consumer_logs_in_with_the_email_in_any_case(client, alice):
    response = log_in(client, "  Alice@Example.RU ", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == resolve_url(settings.LOGIN_REDIRECT_URL)
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_login_goes_on_to_the_page_asked_for(client, alice):
    profile = reverse("accounts:profile")

    response = client.post(
        f"{LOGIN}?next={profile}",
        {"username": "alice@example.ru", "password": PASSWORD, "next": profile},
    )

    assert response["Location"] == profile


def test_a_wrong_password_is_refused_with_a_russian_message(client, alice):
    response = log_in(client, "alice@example.ru", "не тот пароль")

    assert response.status_code == 200
    assertContains(response, "Неверный адрес электронной почты или пароль")
    assert "_auth_user_id" not in client.session


def test_repeated_failures_lock_the_email_out_from_that_address(client, alice):
    responses = fail(client, LIMIT)

    assert [r.status_code for r in responses[:-1]] == [200] * (LIMIT - 1)
    locked = responses[-1]
    assert locked.status_code == 429
    assertTemplateUsed(locked, "accounts/lockout.html")
    assertContains(locked, "Вход временно заблокирован", status_code=429)
    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    assertContains(locked, f"Попробуйте снова через {minutes} мин.", status_code=429)
    assertContains(locked, "(мск)</strong>", status_code=429)
    # Even the right password is refused now.
    assert log_in(client, "alice@example.ru", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_case_variants_of_the_email_count_as_one_address(client, alice):
    fail(client, LIMIT - 1, email="ALICE@example.ru")

    assert log_in(client, "alice@EXAMPLE.ru", "не тот пароль").status_code == 429


def test_the_lockout_is_per_email_and_address(client, alice, bob):
    fail(client, LIMIT)

    assert log_in(client, "alice@example.ru", PASSWORD, ip="203.0.113.99").status_code == 302
    client.logout()
    assert log_in(client, "bob@example.ru", PASSWORD).status_code == 302


def test_the_lockout_ends_after_the_cool_off(client, alice):
    fail(client, LIMIT)
    cool_off = timedelta(hours=settings.AXES_COOLOFF_TIME)
    for attempt in AccessAttempt.objects.all():  # the time has passed
        attempt.attempt_time -= cool_off + timedelta(seconds=1)
        attempt.save()

    assert log_in(client, "alice@example.ru", PASSWORD).status_code == 302


def test_a_successful_login_starts_the_count_again(client, alice):
    fail(client, LIMIT - 1)
    assert log_in(client, "alice@example.ru", PASSWORD).status_code == 302
    client.logout()

    responses = fail(client, LIMIT - 1)

    assert {r.status_code for r in responses} == {200}


def test_the_admin_login_is_locked_out_too(client, admin_user):
    url = reverse("admin:login")
    for _ in range(LIMIT):
        response = client.post(url, {"username": "admin@ivsbyt.ru", "password": "не тот пароль"})

    assert response.status_code == 429
    assertTemplateUsed(response, "accounts/lockout.html")
    right = client.post(url, {"username": "admin@ivsbyt.ru", "password": PASSWORD})
    assert right.status_code == 429


def test_logout_refuses_get(client, alice):
    client.force_login(alice)

    response = client.get(reverse("accounts:logout"))

    assert response.status_code == 405
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_logout_by_post_ends_the_session(client, alice):
    client.force_login(alice)

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_menu_offers_login_and_registration_to_visitors(client):
    response = client.get(LOGIN)

    assertContains(response, f'href="{reverse("accounts:register")}"')
    assertContains(response, f'href="{reverse("accounts:login")}"')
    assert f'action="{reverse("accounts:logout")}"' not in response.content.decode()


def test_the_menu_offers_profile_consents_and_a_logout_button_to_consumers(client, alice):
    client.force_login(alice)

    response = client.get(reverse("accounts:profile"))

    assertContains(response, f'href="{reverse("accounts:profile")}"')
    assertContains(response, f'href="{reverse("consents:mine")}"')
    assertContains(response, f'<form method="post" action="{reverse("accounts:logout")}">')


ADMIN_LOGIN = reverse("admin:login")


def admin_log_in(client, email: str, password: str, *, ip: str = "198.51.100.10"):
    return client.post(
        ADMIN_LOGIN,
        {"username": email, "password": password, "next": "/admin/"},
        REMOTE_ADDR=ip,
    )


@pytest.fixture
def staff_member(django_user_model):
    return django_user_model.objects.create_user(
        "officer@example.ru", PASSWORD, is_staff=True, first_name="Ольга"
    )


def test_case_variants_get_no_fresh_tries_at_the_admin_sign_in(client, staff_member):
    for variant in (
        "OFFICER@example.ru",
        "Officer@Example.ru",
        "officer@EXAMPLE.RU",
        "oFFicer@example.ru",
    )[: LIMIT - 1]:
        admin_log_in(client, variant, "не тот пароль")

    assert admin_log_in(client, "OfFiCeR@example.ru", "не тот пароль").status_code == 429
    assert admin_log_in(client, "officer@example.ru", PASSWORD).status_code == 429


def test_the_consumer_and_the_admin_sign_in_count_failures_together(client, staff_member):
    fail(client, LIMIT - 1, email="Officer@Example.ru")

    assert admin_log_in(client, "OFFICER@EXAMPLE.RU", "не тот пароль").status_code == 429


def test_the_sign_in_log_keeps_one_spelling_of_the_address(client, staff_member):
    admin_log_in(client, "OFFICER@Example.RU", "не тот пароль")
    log_in(client, " Officer@example.ru ", "не тот пароль")

    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"officer@example.ru"}
