"""No registration without a published policy: a consent must refer to the terms in force."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts import services
from accounts.models import User
from privacy.checks import published_policy_check

pytestmark = [pytest.mark.django_db, pytest.mark.no_policy]

REGISTER = reverse("accounts:register")


def test_the_form_is_not_offered_and_a_clear_page_says_why(client):
    response = client.get(REGISTER)

    assert response.status_code == 503
    page = response.content.decode()
    assert "Регистрация временно недоступна" in page
    assert "не опубликована политика обработки персональных данных" in page
    assert 'name="password1"' not in page


def test_a_posted_form_registers_nobody(client, registration_data):
    response = client.post(REGISTER, registration_data())

    assert response.status_code == 503
    assert not User.objects.exists()


def test_the_service_refuses_too(registration_data):
    with pytest.raises(services.RegistrationClosed):
        services.user_register(
            email="new@example.ru",
            password="Secret-pass-12345",
            last_name="Новиков",
            first_name="Иван",
            patronymic="",
            phone="",
            mailings=False,
            representative=None,
            ip_address=None,
            user_agent="",
        )


def test_the_deploy_check_reports_it():
    [error] = published_policy_check()
    assert error.id == "privacy.E001"


def test_the_deploy_check_is_quiet_with_a_policy_in_force(policy_in_force):
    assert published_policy_check() == []


def test_registration_opens_with_a_policy_in_force(client, policy_in_force):
    assert client.get(REGISTER).status_code == 200


def test_demo_data_always_leave_a_policy_in_force(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=None)

    assert services.registration_open()
