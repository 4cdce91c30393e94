import pytest
from django.urls import reverse

from privacy.context_processors import COOKIE_NOTICE_COOKIE

pytestmark = pytest.mark.django_db

NOTICE = "Сайт использует файлы cookie и собирает статистику посещений"


def dismiss(client, next_url: str):
    return client.post(reverse("privacy:cookie_notice_dismiss"), {"next": next_url})


def test_a_first_visit_shows_the_notice_linking_to_the_policy(client):
    page = client.get(reverse("home")).content.decode()

    assert NOTICE in page
    assert "IP-адрес, сведения о браузере" in page
    policy_link = f'<a href="{reverse("privacy:current")}">Политике обработки персональных данных'
    assert policy_link in page
    assert 'name="csrfmiddlewaretoken"' in page  # the button is a plain form: no JavaScript


def test_dismissing_sets_a_long_lived_cookie_and_returns_to_the_page(client):
    response = dismiss(client, reverse("privacy:versions") + "?x=1")

    assert response.status_code == 302
    assert response["Location"] == reverse("privacy:versions") + "?x=1"
    cookie = response.cookies[COOKIE_NOTICE_COOKIE]
    assert cookie.value == "1"
    assert cookie["max-age"] >= 365 * 24 * 3600
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_once_dismissed_the_notice_is_gone_on_every_page(client):
    dismiss(client, "/")

    assert NOTICE not in client.get(reverse("home")).content.decode()
    assert NOTICE not in client.get(reverse("privacy:versions")).content.decode()


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/", "javascript:alert(1)", "", "\\\\evil.example"],
)
def test_an_unsafe_return_address_is_replaced_by_the_home_page(client, next_url):
    response = dismiss(client, next_url)

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert COOKIE_NOTICE_COOKIE in response.cookies


def test_dismissing_needs_a_post(client):
    response = client.get(reverse("privacy:cookie_notice_dismiss"))

    assert response.status_code == 405
    assert COOKIE_NOTICE_COOKIE not in response.cookies


def test_dismissing_needs_the_csrf_token(db):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        reverse("privacy:cookie_notice_dismiss"), {"next": "/"}
    )

    assert response.status_code == 403
