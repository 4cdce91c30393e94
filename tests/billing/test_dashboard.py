"""«Личный кабинет»: accounts and consents, in the same few queries for any number of them."""

import pytest
from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from billing.models import AccountLink, PersonalAccount
from consents.models import ConsentPurpose

pytestmark = pytest.mark.django_db

DASHBOARD_URL = reverse("billing:dashboard")
# Session, user, the current privacy policy (policy-renewal check), the PD-blocking banner, the
# incident notices, the links with their accounts, the consents' state (the session, saved at the
# sign-in, is not saved again); then the panels other apps add under the accounts (bills: the
# latest months and the last payments — the payments since the latest month only once there
# are months).
DASHBOARD_QUERIES = 7 + 2


def link_accounts(user, count: int, first_number: int = 1000000001) -> None:
    accounts = PersonalAccount.objects.bulk_create(
        PersonalAccount(
            number=str(first_number + i),
            address=f"Московская обл., г. Пушкино, ул. Горького, д. {i + 1}",
            holder_name="Королёва Н. С.",
        )
        for i in range(count)
    )
    AccountLink.objects.bulk_create(
        AccountLink(user=user, account=account, factor="surname") for account in accounts
    )


def test_the_dashboard_needs_a_signed_in_consumer(client):
    response = client.get(DASHBOARD_URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_front_page_leads_a_signed_in_consumer_to_the_dashboard(client, alice):
    assert client.get("/").status_code == 200
    client.force_login(alice)

    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == DASHBOARD_URL


def test_without_accounts_the_dashboard_calls_to_link_the_first_one(client, alice):
    client.force_login(alice)

    page = client.get(DASHBOARD_URL).content.decode()

    assert "Привяжите свой лицевой счёт" in page
    assert f'href="{reverse("billing:link")}"' in page


def test_the_dashboard_lists_only_the_consumers_active_links(client, alice, bob, make_account):
    link_accounts(alice, 1)
    link_accounts(bob, 1, first_number=1000000100)
    ended = AccountLink.objects.create(
        user=alice, account=make_account("1000000200", status="closed"), factor="meter"
    )
    AccountLink.objects.filter(pk=ended.pk).update(unlinked_at=ended.linked_at)
    client.force_login(alice)

    page = client.get(DASHBOARD_URL).content.decode()

    assert "Лицевой счёт № 1000000001" in page
    assert "ул. Горького, д. 1" in page
    assert "1000000100" not in page
    assert "1000000200" not in page
    assert "Привязать ещё один лицевой счёт" in page


def test_a_closed_account_is_shown_as_closed(client, alice, make_account):
    AccountLink.objects.create(
        user=alice, account=make_account(status=PersonalAccount.Status.CLOSED), factor="meter"
    )
    client.force_login(alice)

    page = client.get(DASHBOARD_URL).content.decode()

    assert '<span class="badge badge--danger">закрыт</span>' in page


def test_the_dashboard_shows_the_state_of_each_consent(client, alice):
    client.force_login(alice)

    page = client.get(DASHBOARD_URL).content.decode()

    purposes = list(ConsentPurpose.objects.values_list("name", flat=True))
    assert purposes, "the consents app's migration creates the purposes"
    for name in purposes:
        assert name in page
    assert "согласие не давалось" in page


def test_the_dashboard_links_to_my_data_and_my_consents(client, alice):
    client.force_login(alice)

    page = client.get(DASHBOARD_URL).content.decode()

    assert f'href="{reverse("accounts:profile")}"' in page
    assert f'href="{reverse("consents:mine")}"' in page


@pytest.mark.parametrize("accounts", [1, 20])
def test_the_dashboard_takes_the_same_queries_for_one_or_twenty_accounts(
    client, alice, accounts, django_assert_num_queries
):
    link_accounts(alice, accounts)
    client.force_login(alice)

    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = client.get(DASHBOARD_URL)

    assert response.content.decode().count("Лицевой счёт № ") == accounts


def test_the_dashboard_does_not_load_what_it_does_not_show(client, alice):
    link_accounts(alice, 2)
    client.force_login(alice)

    with CaptureQueriesContext(connection) as queries:
        client.get(DASHBOARD_URL)

    account_queries = [q["sql"] for q in queries if "billing_personalaccount" in q["sql"]]
    assert len(account_queries) == 1
    assert "holder_name" not in account_queries[0]
    assert "meter_number" not in account_queries[0]


class TestKeptBetweenPages:
    """The accounts and consents are computed once and kept for the person until something they
    show changes: the next visit costs the session and the user only."""

    def test_a_second_visit_takes_the_session_and_the_user_only(
        self, client, alice, django_assert_num_queries
    ):
        link_accounts(alice, 3)
        client.force_login(alice)
        client.get(DASHBOARD_URL)

        with django_assert_num_queries(2):
            page = client.get(DASHBOARD_URL).content.decode()

        assert page.count("Лицевой счёт № ") == 3

    def test_the_session_and_the_user_are_read_without_composing_a_query(
        self, client, alice, monkeypatch
    ):
        """The ORM composed the same two statements anew on every signed-in request, a fifth of
        the page's work (`benchmarks/pages.py`); they are composed once per process now."""
        client.force_login(alice)
        client.get(DASHBOARD_URL)
        composed = []
        compose = SQLCompiler.as_sql

        def counted(compiler, *args, **kwargs):
            composed.append(compiler.query.model)
            return compose(compiler, *args, **kwargs)

        monkeypatch.setattr(SQLCompiler, "as_sql", counted)
        page = client.get(DASHBOARD_URL)

        assert "Здравствуйте, Алиса" in page.content.decode()
        assert composed == []

    def test_each_person_is_shown_only_their_own(self, client, alice, bob):
        link_accounts(alice, 1)
        link_accounts(bob, 1, first_number=1000000100)
        pages = {}
        for person in (alice, bob, alice, bob):
            client.force_login(person)
            pages[person.email] = client.get(DASHBOARD_URL).content.decode()

        assert "1000000001" in pages[alice.email]
        assert "1000000100" not in pages[alice.email]
        assert "1000000100" in pages[bob.email]
        assert "1000000001" not in pages[bob.email]
        assert "Здравствуйте, Алиса" in pages[alice.email]
        assert "Здравствуйте, Борис" in pages[bob.email]

    def test_linking_an_account_shows_at_once(self, client, alice, make_account):
        make_account()
        client.force_login(alice)
        assert "Привяжите свой лицевой счёт" in client.get(DASHBOARD_URL).content.decode()

        client.post(
            reverse("billing:link"),
            {"number": "1000000001", "factor": "surname", "value": "Королёва"},
        )

        assert "Лицевой счёт № 1000000001" in client.get(DASHBOARD_URL).content.decode()

    def test_unlinking_shows_at_once(self, client, alice, admin_user):
        from billing.services import account_unlink

        link_accounts(alice, 1)
        client.force_login(alice)
        assert "Лицевой счёт № 1000000001" in client.get(DASHBOARD_URL).content.decode()

        account_unlink(link=AccountLink.objects.get(), by=admin_user, reason="ошибка")

        assert "Лицевой счёт № 1000000001" not in client.get(DASHBOARD_URL).content.decode()

    def test_a_consent_given_shows_at_once(self, client, alice, give):
        client.force_login(alice)
        assert "согласие дано" not in client.get(DASHBOARD_URL).content.decode()

        give(alice, "mailings")

        assert "согласие дано" in client.get(DASHBOARD_URL).content.decode()

    def test_a_registry_import_shows_at_once(self, client, alice, write_csv):
        from billing.importer import registry_import

        link_accounts(alice, 1)
        client.force_login(alice)
        assert "ул. Лесная" not in client.get(DASHBOARD_URL).content.decode()

        path = write_csv([["1000000001", "г. Пушкино, ул. Лесная, д. 3", "Королёва Н. С.", "", ""]])
        with path.open("rb") as source:
            registry_import(source)

        assert "ул. Лесная" in client.get(DASHBOARD_URL).content.decode()
