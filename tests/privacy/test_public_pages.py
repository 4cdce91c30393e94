"""Pages the same for every visitor come from the cache, never stale and never someone else's."""

import time
from unittest import mock

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils.crypto import get_random_string

from consents.models import ConsentPurpose
from consents.services import consent_text_publish
from privacy.context_processors import COOKIE_NOTICE_COOKIE
from privacy.public_pages import GENERATION_KEY, TRUST_SECONDS
from privacy.services import policy_publish
from tests.privacy.conftest import days_from_today
from visits.buffer import visit_buffer
from visits.models import Visit

POLICY = reverse("privacy:current")


@pytest.fixture
def published(make_version):
    return make_version("1.0", body="# Политика\n\nПервая редакция текста.")


def test_the_policy_page_is_served_from_the_cache_without_a_query(
    client, published, django_assert_num_queries
):
    client.get(POLICY)

    with django_assert_num_queries(0):
        response = client.get(POLICY)

    assert "Первая редакция текста." in response.content.decode()


def test_a_cached_page_changes_the_moment_a_new_version_is_published(
    client, published, make_version, django_capture_on_commit_callbacks
):
    assert "Первая редакция текста." in client.get(POLICY).content.decode()
    draft = make_version(
        "2.0", published=False, effective_in_days=0, body="# Политика\n\nВторая редакция."
    )

    with django_capture_on_commit_callbacks(execute=True):
        policy_publish(version=draft, by=None)

    page = client.get(POLICY).content.decode()
    assert "Вторая редакция." in page
    assert "Первая редакция текста." not in page
    assert "2.0" in client.get(reverse("privacy:versions")).content.decode()


def test_a_version_taking_effect_today_is_shown_without_a_publication(
    client, published, make_version
):
    make_version("2.0", effective_in_days=1, body="# Политика\n\nВторая редакция.")
    assert "Первая редакция текста." in client.get(POLICY).content.decode()

    tomorrow = days_from_today(1)
    with (
        mock.patch("privacy.public_pages.moscow_today", return_value=tomorrow),  # the kept pages
        mock.patch("django.utils.timezone.localdate", return_value=tomorrow),  # the version
    ):
        page = client.get(POLICY).content.decode()

    assert "Вторая редакция." in page


def test_a_new_consent_text_renews_its_page(client, admin_user, django_capture_on_commit_callbacks):
    url = reverse("consents:document", args=["mailings"])
    client.get(url)

    with django_capture_on_commit_callbacks(execute=True):
        consent_text_publish(
            purpose=ConsentPurpose.objects.get(code="mailings"),
            title="Согласие на рассылку",
            body="Новая формулировка согласия.",
            published_by=admin_user,
        )

    assert "Новая формулировка согласия." in client.get(url).content.decode()


def test_a_conditional_get_of_an_unchanged_page_answers_304(client, published):
    client.cookies[COOKIE_NOTICE_COOKIE] = "1"
    first = client.get(POLICY)
    assert first["Cache-Control"] == "public, no-cache"
    assert "Cookie" in first["Vary"]

    by_etag = client.get(POLICY, headers={"if-none-match": first["ETag"]})
    by_date = client.get(POLICY, headers={"if-modified-since": first["Last-Modified"]})

    assert by_etag.status_code == by_date.status_code == 304
    assert by_etag.content == b""


def test_each_visitor_gets_a_csrf_token_of_their_own_in_the_cookie_notice(client, published):
    first = client.get(POLICY)
    other_visitor = client.__class__()
    second = other_visitor.get(POLICY)

    for response, browser in ((first, client), (second, other_visitor)):
        token = response.content.decode().split('name="csrfmiddlewaretoken" value="')[1][:64]
        assert len(token) == 64
        assert browser.cookies["csrftoken"].value  # the cookie the token is checked against
        assert response["Cache-Control"] == "private, no-cache"
    dismiss = reverse("privacy:cookie_notice_dismiss")
    enforcing = client.__class__(enforce_csrf_checks=True)
    enforcing.get(POLICY)
    page = enforcing.get(POLICY).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="')[1][:64]
    assert enforcing.post(dismiss, {"csrfmiddlewaretoken": token}).status_code == 302


def test_a_page_with_a_token_is_sent_again_once_the_visitors_csrf_secret_changed(client, published):
    """Signing in gives a new secret; the copy the browser kept holds a token of the old one."""
    first = client.get(POLICY)
    assert "Last-Modified" not in first  # a date cannot tell a new secret
    assert client.get(POLICY, headers={"if-none-match": first["ETag"]}).status_code == 304

    client.cookies["csrftoken"] = get_random_string(32)
    again = client.get(POLICY, headers={"if-none-match": first["ETag"]})

    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]


def test_a_signed_in_person_never_gets_a_visitors_page_nor_another_persons(
    client, alice, bob, published
):
    client.get(POLICY)  # a visitor's page is now in the cache
    client.force_login(alice)

    response = client.get(POLICY)

    assert "Выйти" in response.content.decode()
    assert "private" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]
    client.force_login(bob)
    for url in (POLICY, reverse("billing:dashboard"), reverse("consents:mine")):
        response = client.get(url)
        assert "private" in response["Cache-Control"], url
        assert "Cookie" in response["Vary"], url
        assert "Алиса" not in response.content.decode(), url


def test_unknown_parameters_are_rendered_but_not_kept(client, published, django_assert_num_queries):
    client.get(POLICY + "?utm_source=x")

    with django_assert_num_queries(1):
        client.get(POLICY + "?utm_source=x")


def test_a_kept_page_is_answered_before_sessions_authentication_and_the_view(client, published):
    client.get(POLICY)  # rendered and kept

    with mock.patch("privacy.views.render", side_effect=AssertionError("the view ran")):
        response = Client().get(POLICY)

    assert "Первая редакция текста." in response.content.decode()
    assert not hasattr(response.wsgi_request, "session")
    assert not hasattr(response.wsgi_request, "user")


def test_a_page_answered_early_carries_the_headers_of_a_rendered_one(client, published):
    rendered = client.get(POLICY)
    browser = Client()

    kept = browser.get(POLICY)

    assert not hasattr(kept.wsgi_request, "user")
    for header in (
        "Content-Type",
        "Content-Length",
        "Content-Security-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
        "Cache-Control",
        "Vary",
    ):
        assert kept.get(header) == rendered.get(header), header
    assert len(browser.cookies["csrftoken"].value) == 32  # the secret its token masks


def test_a_page_answered_early_is_counted_in_the_statistics_and_the_metrics(client, published):
    client.get(POLICY)
    visit_buffer.clear()

    response = client.get(POLICY, REMOTE_ADDR="203.0.113.7")

    assert not hasattr(response.wsgi_request, "user")
    visit_buffer.flush()
    visit = Visit.objects.get()
    assert (visit.path, visit.status, visit.ip) == (POLICY, 200, "203.0.113.7")
    assert response.wsgi_request.resolver_match.view_name == "privacy:current"  # the metrics' label


def test_a_process_trusts_its_copy_a_second_then_sees_a_publication_made_elsewhere(
    client, published, make_version, monkeypatch
):
    client.get(POLICY)  # kept, and copied in this process
    with mock.patch.object(cache, "get_many", wraps=cache.get_many) as cache_reads:
        assert "Первая редакция текста." in client.get(POLICY).content.decode()
    assert cache_reads.call_count == 0
    # Another process publishes: the shared generation changes, not this process's copy.
    make_version("2.0", effective_in_days=0, body="# Политика\n\nВторая редакция.")
    cache.set(GENERATION_KEY, "another-process")

    within_the_second = client.get(POLICY).content.decode()
    later = time.monotonic() + TRUST_SECONDS + 0.1
    monkeypatch.setattr(time, "monotonic", lambda: later)
    after_it = client.get(POLICY).content.decode()

    assert "Первая редакция текста." in within_the_second
    assert "Вторая редакция." in after_it


def test_a_kept_page_asked_for_under_a_host_the_site_does_not_serve_answers_400(client, published):
    client.get(POLICY)  # kept

    response = client.get(POLICY, HTTP_HOST="lkk.attacker.example")

    assert response.status_code == 400  # as every page answers (ALLOWED_HOSTS)
