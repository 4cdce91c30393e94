"""«Мои согласия»: the consumer's own consents, history and one-click choices."""

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from consents import views
from consents.models import ConsentPurpose, ConsentRecord
from lkk.moscow import moscow_time
from tests.conftest import BROWSER

pytestmark = pytest.mark.django_db

MINE = reverse("consents:mine")


def _state(user, code: str) -> ConsentPurpose:
    return ConsentPurpose.objects.with_state_for(user).get(code=code)


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(MINE)

    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))
    assert "next=" in response["Location"]


def test_the_page_shows_the_state_and_history_of_the_owner_only(client, alice, bob, give):
    give(alice, "account", source=ConsentRecord.Source.REGISTRATION)
    give(bob, "mailings", ip_address="198.51.100.99")
    client.force_login(alice)

    response = client.get(MINE)

    page = response.content.decode()
    assert response.status_code == 200
    assert "203.0.113.7" in page
    assert "198.51.100.99" not in page
    assert "форма регистрации" in page
    assert "редакция № 1" in page
    assert "согласие не давалось" in page  # mailings: Bob's consent is not Alice's


def test_times_are_shown_in_moscow_time(client, alice, give):
    record = give(alice)
    client.force_login(alice)

    page = client.get(MINE).content.decode()

    assert moscow_time(record.created_at, seconds=True) in page


HISTORY_ROW = 'data-label="Дата и время"'


@pytest.mark.parametrize("records", [1, 50])
def test_query_count_does_not_grow_with_the_history(
    client, alice, give, records, django_assert_num_queries
):
    for number in range(records):
        give(alice, "mailings" if number % 2 else "account")
    client.force_login(alice)

    # session, user, pending policy, the PD-blocking banner, incident notices, purposes with
    # state, the history's count and its page (the session, saved at the sign-in, is not saved
    # again)
    with django_assert_num_queries(8):
        page = client.get(MINE).content.decode()
    # then the banners, the policy check, the purposes' state and the history's first page are
    # kept for her
    with django_assert_num_queries(2):
        again = client.get(MINE).content.decode()

    assert (
        page.count(HISTORY_ROW) == again.count(HISTORY_ROW) == min(records, views.HISTORY_PER_PAGE)
    )


def test_the_history_comes_a_page_at_a_time_newest_first(client, alice, give, monkeypatch):
    monkeypatch.setattr(views, "HISTORY_PER_PAGE", 3)
    for number in range(7):
        give(alice, "mailings" if number % 2 else "account", ip_address=f"192.0.2.{number + 10}")
    client.force_login(alice)

    first = client.get(MINE).content.decode()
    last = client.get(MINE, {"page": 3}).content.decode()

    assert first.index("192.0.2.16") < first.index("192.0.2.15") < first.index("192.0.2.14")
    assert "192.0.2.13" not in first
    assert "192.0.2.10" in last and "192.0.2.11" not in last
    assert "Страница 1 из 3" in first
    assert 'href="?page=2" rel="next">Старее →' in first
    assert 'href="?page=2" rel="prev">← Новее' in last


def test_a_new_record_shows_in_the_kept_history_at_once(client, alice, give, withdraw):
    give(alice, "mailings", ip_address="192.0.2.1")
    client.force_login(alice)
    assert "192.0.2.1" in client.get(MINE).content.decode()

    withdraw(alice, "mailings", ip_address="192.0.2.2")

    page = client.get(MINE).content.decode()
    assert page.index("192.0.2.2") < page.index("192.0.2.1")
    assert 'badge--danger">согласие отозвано' in page  # the state, kept too, is renewed


def test_a_kept_history_is_shown_to_its_person_only(client, alice, bob, give):
    give(alice, "mailings", ip_address="192.0.2.1")
    give(bob, "mailings", ip_address="192.0.2.2")
    pages = []
    for person in (alice, bob, alice, bob):
        client.force_login(person)
        pages.append(client.get(MINE).content.decode())

    for page in pages[0::2]:
        assert "192.0.2.1" in page and "192.0.2.2" not in page
    for page in pages[1::2]:
        assert "192.0.2.2" in page and "192.0.2.1" not in page


class TestOptionalConsent:
    def test_withdrawing_takes_one_click_and_is_recorded(self, client, alice, give):
        give(alice, "account")
        give(alice, "mailings")
        client.force_login(alice)

        response = client.post(
            reverse("consents:withdraw", args=["mailings"]),
            HTTP_USER_AGENT=BROWSER,
            REMOTE_ADDR="203.0.113.50",
        )

        assert response.status_code == 302
        assert response["Location"] == MINE
        record = ConsentRecord.objects.current_for(alice).get(purpose__code="mailings")
        assert record.action == ConsentRecord.Action.WITHDRAWN
        assert record.source == ConsentRecord.Source.PROFILE
        assert record.ip_address == "203.0.113.50"
        assert record.user_agent == BROWSER
        alice.refresh_from_db()
        assert alice.is_active

    def test_giving_again_is_recorded(self, client, alice, give):
        give(alice, "account")
        client.force_login(alice)

        response = client.post(reverse("consents:give", args=["mailings"]))

        assert response.status_code == 302
        assert _state(alice, "mailings").is_given

    def test_a_link_cannot_give_a_consent(self, client, alice):
        """Giving consent is an act (POST); a prefetched or forged GET records nothing."""
        client.force_login(alice)

        assert client.get(reverse("consents:give", args=["mailings"])).status_code == 405
        assert not ConsentRecord.objects.exists()

    def test_an_unknown_purpose_is_404(self, client, alice):
        client.force_login(alice)

        assert client.post(reverse("consents:give", args=["nothing"])).status_code == 404
        assert client.post(reverse("consents:withdraw", args=["nothing"])).status_code == 404


class TestRequiredConsent:
    def test_withdrawing_asks_for_confirmation_and_explains_the_consequences(
        self, client, alice, give
    ):
        give(alice, "account")
        client.force_login(alice)

        response = client.get(reverse("consents:withdraw", args=["account"]))

        page = response.content.decode()
        assert response.status_code == 200
        assert "учётная запись будет <strong>закрыта сразу</strong>" in page
        assert "уничтожены в течение 30 дней" in page
        assert "закон" in page

    def test_without_the_confirmation_nothing_happens(self, client, alice, give):
        give(alice, "account")
        client.force_login(alice)

        response = client.post(reverse("consents:withdraw", args=["account"]))

        assert response.status_code == 200
        assert "Отметьте, что понимаете последствия" in response.content.decode()
        assert 'aria-invalid="true"' in response.content.decode()
        assert _state(alice, "account").is_given
        alice.refresh_from_db()
        assert alice.is_active

    def test_confirmed_withdrawal_is_recorded_closes_the_account_and_logs_out(
        self, client, alice, give
    ):
        give(alice, "account")
        client.force_login(alice)

        response = client.post(
            reverse("consents:withdraw", args=["account"]), {"confirm": "on"}, follow=True
        )

        assert response.redirect_chain[0] == (reverse("home"), 302)
        assert "учётная запись закрыта" in response.content.decode()
        assert not response.context["user"].is_authenticated
        alice.refresh_from_db()
        assert not alice.is_active
        assert not _state(alice, "account").is_given
        assert client.get(MINE).status_code == 302  # logged out
