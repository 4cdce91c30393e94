"""A new policy version: renewed consent where it is required, a dismissible notice otherwise."""

from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from consents.models import ConsentRecord, PolicyAcknowledgement
from privacy.models import PolicyVersion
from privacy.services import policy_publish
from tests.conftest import BROWSER

pytestmark = pytest.mark.django_db

MINE = reverse("consents:mine")
REVIEW = reverse("consents:policy_review")
NOTICE_TEXT = "Опубликована новая редакция Политики обработки персональных данных"


@pytest.fixture
def registered_under_old_policy(alice, give, publish_policy):
    """Alice registered while version 1.0 was in force."""
    old = publish_policy("1.0", days_ago=30)
    give(alice, "account", source=ConsentRecord.Source.REGISTRATION)
    return old


@pytest.fixture
def renewal_required(registered_under_old_policy, publish_policy):
    return publish_policy("2.0", requires_renewed_consent=True)


class TestRenewedConsentRequired:
    def test_a_consumer_is_sent_to_review_the_new_version_before_going_on(
        self, client, alice, renewal_required
    ):
        client.force_login(alice)

        response = client.get(MINE)

        assert response.status_code == 302
        assert response["Location"] == f"{REVIEW}?{urlencode({'next': MINE})}"

    def test_the_review_links_to_what_changed_and_to_the_full_text(
        self, client, alice, renewal_required
    ):
        client.force_login(alice)

        page = client.get(REVIEW).content.decode()

        diff = reverse("privacy:diff") + "?from=1.0&amp;to=2.0"
        assert f'href="{diff}"' in page
        assert f'href="{reverse("privacy:version", args=["2.0"])}"' in page
        assert "С " in page and "редакция № 2.0" in page

    @pytest.mark.parametrize(
        "url",
        [
            reverse("privacy:current"),
            reverse("privacy:version", args=["2.0"]),
            reverse("consents:document", args=["account"]),
            reverse("consents:withdraw", args=["account"]),
            reverse("healthz"),
        ],
    )
    def test_the_policy_documents_and_the_way_out_stay_open(
        self, client, alice, renewal_required, url
    ):
        client.force_login(alice)

        assert client.get(url).status_code == 200

    def test_logging_out_is_not_held_back(self, client, alice, renewal_required):
        client.force_login(alice)

        response = client.post(reverse("accounts:logout"))

        assert not response.get("Location", "").startswith(REVIEW)
        assert client.get(MINE)["Location"].startswith(reverse("accounts:login"))

    def test_accepting_needs_the_checkbox(self, client, alice, renewal_required):
        client.force_login(alice)

        response = client.post(REVIEW, {"version": "2.0"})

        assert response.status_code == 200
        assert "отметьте согласие" in response.content.decode()
        assert not ConsentRecord.objects.filter(source="policy_renewal").exists()

    def test_accepting_is_recorded_and_lets_the_consumer_go_on(
        self, client, alice, renewal_required
    ):
        client.force_login(alice)

        response = client.post(
            REVIEW,
            {"version": "2.0", "acknowledged": "on", "accept": "on", "next": MINE},
            HTTP_USER_AGENT=BROWSER,
            REMOTE_ADDR="203.0.113.8",
        )

        assert response.status_code == 302
        assert response["Location"] == MINE
        record = ConsentRecord.objects.get(source=ConsentRecord.Source.POLICY_RENEWAL)
        assert record.user == alice
        assert record.purpose.code == "account"
        assert record.action == ConsentRecord.Action.GIVEN
        assert record.policy_version == renewal_required
        assert record.ip_address == "203.0.113.8"
        assert record.user_agent == BROWSER
        assert client.get(MINE).status_code == 200

    def test_accepting_a_version_no_longer_in_force_is_refused(
        self, client, alice, renewal_required, publish_policy
    ):
        client.force_login(alice)
        publish_policy("3.0", requires_renewed_consent=True)  # while the page was open

        response = client.post(REVIEW, {"version": "2.0", "acknowledged": "on", "accept": "on"})

        assert response.status_code == 200
        assert "вступила в силу другая редакция" in response.content.decode()
        assert not ConsentRecord.objects.filter(source="policy_renewal").exists()

    def test_after_accepting_the_next_address_must_be_on_this_site(
        self, client, alice, renewal_required
    ):
        client.force_login(alice)

        response = client.post(
            REVIEW,
            {
                "version": "2.0",
                "acknowledged": "on",
                "accept": "on",
                "next": "https://evil.example/",
            },
        )

        assert response["Location"] == reverse("home")

    def test_a_consumer_who_registered_under_the_new_version_is_not_asked_again(
        self, client, bob, give, renewal_required
    ):
        give(bob, "account", source=ConsentRecord.Source.REGISTRATION)
        client.force_login(bob)

        assert client.get(MINE).status_code == 200

    def test_a_version_published_while_signed_in_holds_the_consumer_at_the_next_page(
        self, client, alice, registered_under_old_policy
    ):
        client.force_login(alice)
        assert client.get(MINE).status_code == 200
        draft = PolicyVersion.objects.create(
            label="2.0",
            title="Политика, редакция 2.0",
            body="# Политика\n\nНовая редакция.",
            effective_date=timezone.localdate(),
            requires_renewed_consent=True,
        )

        policy_publish(version=draft, by=None)

        assert client.get(MINE)["Location"] == f"{REVIEW}?{urlencode({'next': MINE})}"

    def test_staff_are_not_held_back(self, client, admin_user, renewal_required):
        client.force_login(admin_user)

        assert client.get(MINE).status_code == 200

    def test_the_review_page_without_anything_to_accept_goes_on(
        self, client, alice, registered_under_old_policy
    ):
        client.force_login(alice)

        assert client.get(REVIEW, {"next": MINE})["Location"] == MINE


class TestNoticeOfANewVersion:
    @pytest.fixture
    def new_version(self, registered_under_old_policy, publish_policy):
        return publish_policy("1.1")

    def test_the_consumer_sees_a_notice_and_is_not_held_back(self, client, alice, new_version):
        client.force_login(alice)

        response = client.get(MINE)

        assert response.status_code == 200
        page = response.content.decode()
        assert NOTICE_TEXT in page
        assert f'href="{reverse("privacy:version", args=["1.1"])}"' in page

    def test_dismissing_is_recorded_and_hides_the_notice_for_good(self, client, alice, new_version):
        client.force_login(alice)

        response = client.post(
            reverse("consents:policy_notice_dismiss"),
            {"version": "1.1", "next": MINE},
            HTTP_USER_AGENT=BROWSER,
            REMOTE_ADDR="203.0.113.9",
        )

        assert response["Location"] == MINE
        acknowledgement = PolicyAcknowledgement.objects.get()
        assert (acknowledgement.user, acknowledgement.policy_version) == (alice, new_version)
        assert acknowledgement.ip_address == "203.0.113.9"
        assert acknowledgement.user_agent == BROWSER
        assert NOTICE_TEXT not in client.get(MINE).content.decode()

    def test_dismissing_an_outdated_notice_does_not_hide_a_newer_one(
        self, client, alice, new_version, publish_policy
    ):
        client.force_login(alice)
        publish_policy("1.2")

        client.post(reverse("consents:policy_notice_dismiss"), {"version": "1.1"})

        assert not PolicyAcknowledgement.objects.exists()
        assert NOTICE_TEXT in client.get(MINE).content.decode()

    def test_a_consumer_who_consented_under_the_current_version_sees_no_notice(
        self, client, alice, registered_under_old_policy
    ):
        client.force_login(alice)

        assert NOTICE_TEXT not in client.get(MINE).content.decode()

    def test_anonymous_visitors_and_staff_see_no_notice(self, client, admin_user, new_version):
        assert (
            NOTICE_TEXT
            not in client.get(reverse("consents:document", args=["account"])).content.decode()
        )
        client.force_login(admin_user)
        assert NOTICE_TEXT not in client.get(MINE).content.decode()


class TestCost:
    """The check runs on every page: one query for a consumer, none for anyone else."""

    DOCUMENT = reverse("consents:document", args=["account"])

    def test_an_anonymous_page_costs_no_extra_query(
        self, client, new_policy_pending, django_assert_num_queries
    ):
        with django_assert_num_queries(2):  # the document's own two queries
            client.get(self.DOCUMENT)

    def test_a_consumer_page_costs_one_extra_query(
        self, client, alice, admin_user, new_policy_pending, django_assert_num_queries
    ):
        client.force_login(admin_user)
        # session, user, the second factor's device, the document's two, the PD-blocking
        # banner, incident notices
        with django_assert_num_queries(7):
            client.get(self.DOCUMENT)

        client.force_login(alice)
        # the same but the device (she has no second factor), plus the pending-policy check
        with django_assert_num_queries(7):
            assert NOTICE_TEXT in client.get(self.DOCUMENT).content.decode()

    def test_the_check_is_kept_after_the_cache_lost_the_publication_generation(
        self, client, alice, new_policy_pending, django_assert_num_queries
    ):
        """After a Redis restart or eviction the generation is gone: the next page starts a new
        one, rather than every page of every consumer asking the database again."""
        cache.clear()
        client.force_login(alice)
        client.get(self.DOCUMENT)
        # session, user and the document's two: the banners and the pending-policy check kept
        with django_assert_num_queries(4):
            assert NOTICE_TEXT in client.get(self.DOCUMENT).content.decode()

    @pytest.fixture
    def new_policy_pending(self, registered_under_old_policy, publish_policy):
        return publish_policy("1.1")
