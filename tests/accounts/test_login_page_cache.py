"""The sign-in page a visitor opens is the same for everyone: it comes from the shared cache
(privacy.public_pages), with the visitor's own CSRF token, and nothing one visitor typed, was told
or was locked out of ever reaches another."""

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

from tests.conftest import PASSWORD, PortalClient

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
DASHBOARD = resolve_url(settings.LOGIN_REDIRECT_URL)
LIMIT = settings.AXES_FAILURE_LIMIT
TOKEN_FIELD = 'name="csrfmiddlewaretoken" value="'


def visitor() -> PortalClient:
    """A new browser: no cookies at all, CSRF checked as a real browser's POST is."""
    return PortalClient(enforce_csrf_checks=True)


def token_in(response) -> str:
    return response.content.decode().split(TOKEN_FIELD)[1].split('"')[0]


def sign_in(browser, page, email: str, password: str, *, ip: str = "198.51.100.10"):
    data = {"csrfmiddlewaretoken": token_in(page), "username": email, "password": password}
    return browser.post(LOGIN, data, REMOTE_ADDR=ip)


def sign_out(browser) -> None:
    # The cookie's secret is a valid token as it stands (Django takes it masked or not).
    secret = browser.cookies["csrftoken"].value
    response = browser.post(reverse("accounts:logout"), headers={"x-csrftoken": secret})
    for name, cookie in response.cookies.items():
        if not cookie.value:  # deleted: a browser drops it, the test client would send it empty
            del browser.cookies[name]


def test_a_visitor_gets_the_sign_in_page_from_the_cache_without_a_query_or_a_template(
    django_assert_num_queries,
):
    visitor().get(LOGIN)

    with django_assert_num_queries(0):
        response = visitor().get(LOGIN)

    assert response.status_code == 200
    assert response.templates == []
    assertContains(response, 'name="password"')
    assert response["Cache-Control"] == "private, no-cache"
    assert "Cookie" in response["Vary"]


def test_each_visitor_gets_a_token_of_their_own_and_signs_in_with_it(alice, bob):
    first, second = visitor(), visitor()
    first_page = first.get(LOGIN)
    second_page = second.get(LOGIN)  # from the cache

    assert second_page.templates == []
    assert token_in(first_page) != token_in(second_page)
    response = sign_in(second, second_page, "bob@example.ru", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == DASHBOARD
    assert second.session["_auth_user_id"] == str(bob.pk)
    assert sign_in(first, first_page, "alice@example.ru", PASSWORD).status_code == 302
    assert first.session["_auth_user_id"] == str(alice.pk)


def test_a_token_from_the_cached_page_is_no_good_in_another_browser(alice):
    first, second = visitor(), visitor()
    first.get(LOGIN)
    page = first.get(LOGIN)
    second.get(LOGIN)  # the second browser has a CSRF cookie of its own

    response = sign_in(second, page, "alice@example.ru", PASSWORD)

    assert response.status_code == 403
    assert "_auth_user_id" not in second.session


def test_a_failed_sign_in_shows_its_errors_and_is_not_kept(alice, django_assert_num_queries):
    browser = visitor()
    page = browser.get(LOGIN)

    failed = sign_in(browser, page, "alice@example.ru", "не тот пароль")

    assertContains(failed, "Неверный адрес электронной почты или пароль")
    assertContains(failed, 'value="alice@example.ru"')
    assertTemplateUsed(failed, "accounts/login.html")
    with django_assert_num_queries(0):
        other = visitor().get(LOGIN)
    assertNotContains(other, "Неверный адрес")
    assertNotContains(other, "alice@example.ru")
    assertNotContains(other, "error-summary")


def test_a_sign_in_attempt_after_a_cached_page_is_checked_not_served_from_the_cache(alice):
    visitor().get(LOGIN)
    browser = visitor()
    page = browser.get(LOGIN)
    assert page.templates == []

    failed = sign_in(browser, page, "alice@example.ru", "не тот пароль")

    assert failed.templates != []
    assertContains(failed, "Неверный адрес электронной почты или пароль")


def test_a_lockout_is_not_kept_for_others(alice, django_assert_num_queries):
    locked_out = visitor()
    for _ in range(LIMIT):
        response = sign_in(locked_out, locked_out.get(LOGIN), "alice@example.ru", "не тот пароль")
    assert response.status_code == 429

    # The locked-out browser still opens the page, and the cache keeps only the bare form …
    page = locked_out.get(LOGIN)
    assertNotContains(page, "заблокирован")
    with django_assert_num_queries(0):
        other = visitor().get(LOGIN)
    assertNotContains(other, "заблокирован")
    # … and the lockout still answers its next attempt, even with the right password.
    response = sign_in(locked_out, page, "alice@example.ru", PASSWORD)
    assertContains(response, "Вход временно заблокирован", status_code=429)
    assert "_auth_user_id" not in locked_out.session
    # Another visitor at another address signs in.
    other_browser = visitor()
    response = sign_in(
        other_browser, other_browser.get(LOGIN), "alice@example.ru", PASSWORD, ip="203.0.113.7"
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    "next_url", ["/kabinet/dannye/", "https://evil.example/", "//evil.example/", ""]
)
def test_a_page_asked_for_with_next_is_rendered_for_its_visitor_and_not_kept(
    next_url, django_assert_num_queries
):
    """The page shows `next` (the form's hidden field, the cookie notice's way back): each value
    would be a page of its own, some depending on the host asked, so they are not kept at all."""
    url = f"{LOGIN}?next={next_url}"
    visitor().get(url)

    response = visitor().get(url)

    assert response.templates != []
    assert "no-store" in response["Cache-Control"]
    with django_assert_num_queries(0):
        bare = visitor().get(LOGIN)
    assert "next=" not in bare.content.decode()
    assertNotContains(bare, f'name="next" value="{next_url}"')


def test_the_page_asked_for_with_next_is_where_the_sign_in_goes(alice):
    profile = reverse("accounts:profile")
    browser = visitor()
    page = browser.get(f"{LOGIN}?next={profile}")
    assertContains(page, f'name="next" value="{profile}"')

    data = {
        "csrfmiddlewaretoken": token_in(page),
        "username": "alice@example.ru",
        "password": PASSWORD,
        "next": profile,
    }
    response = browser.post(f"{LOGIN}?next={profile}", data)

    assert response["Location"] == profile


def test_a_signed_in_person_is_sent_on_not_shown_the_visitors_page(alice):
    visitor().get(LOGIN)
    browser = visitor()
    browser.force_login(alice)

    response = browser.get(LOGIN)

    assert response.status_code == 302
    assert response["Location"] == DASHBOARD


def test_signing_out_and_in_again_gets_a_page_with_the_new_token(alice):
    """Signing in gives the browser a new CSRF secret (django.contrib.auth.login): the page kept
    by the browser holds a token of the old one, so a revalidation must not answer 304."""
    browser = visitor()
    page = browser.get(LOGIN)
    assert sign_in(browser, page, "alice@example.ru", PASSWORD).status_code == 302
    sign_out(browser)
    assert "sessionid" not in browser.cookies  # (`browser.session` would make one)

    again = browser.get(LOGIN, headers={"if-none-match": page["ETag"]})

    assert again.status_code == 200
    assert sign_in(browser, again, "alice@example.ru", PASSWORD).status_code == 302
    # While the secret stays, the browser's copy stays good: 304.
    sign_out(browser)
    after = browser.get(LOGIN)
    assert browser.get(LOGIN, headers={"if-none-match": after["ETag"]}).status_code == 304


def test_the_admin_sign_in_shows_the_same_form_and_signs_in_after_a_cached_page(staff_member):
    admin_login = reverse("admin:login")
    visitor().get(admin_login)
    browser = visitor()
    page = browser.get(admin_login)
    assert page.templates == []

    data = {"csrfmiddlewaretoken": token_in(page), "username": "officer@example.ru"}
    response = browser.post(admin_login, {**data, "password": PASSWORD})

    assert response.status_code == 302
    assert browser.session["_auth_user_id"] == str(staff_member.pk)


@pytest.fixture
def staff_member(django_user_model):
    return django_user_model.objects.create_user(
        "officer@example.ru", PASSWORD, is_staff=True, first_name="Ольга"
    )
