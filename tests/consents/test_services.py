from unittest import mock

import pytest
from django.db import DatabaseError

from consents import services
from consents.models import ConsentPurpose, ConsentRecord, ConsentText
from consents.services import Representative
from tests.conftest import BROWSER

pytestmark = pytest.mark.django_db


class TestConsentGive:
    def test_records_the_current_text_policy_address_browser_and_source(
        self, alice, publish_policy
    ):
        policy = publish_policy("1.0")
        text = ConsentText.objects.current_for_code("account")

        record = services.consent_give(
            user=alice,
            purpose_code="account",
            source=ConsentRecord.Source.REGISTRATION,
            ip_address="2001:db8::1",
            user_agent=BROWSER,
        )

        record.refresh_from_db()
        assert record.user == alice
        assert record.purpose.code == "account"
        assert record.action == ConsentRecord.Action.GIVEN
        assert record.text == text
        assert record.policy_version == policy
        assert record.ip_address == "2001:db8::1"
        assert record.user_agent == BROWSER
        assert record.source == ConsentRecord.Source.REGISTRATION
        assert record.acted_by is None
        assert record.representative_name == ""

    def test_records_the_policy_in_force_not_a_future_one(self, alice, publish_policy, give):
        in_force = publish_policy("1.0", days_ago=10)
        publish_policy("2.0", days_ago=-5)  # takes effect in five days

        assert give(alice).policy_version == in_force

    def test_without_a_published_policy_the_policy_version_is_empty(self, alice, give):
        assert give(alice).policy_version is None

    def test_records_a_legal_representative(self, alice, give):
        record = give(
            alice,
            representative=Representative(
                representative_name="Иванова Алиса Петровна",
                represented_name="Иванов Пётр Алексеевич",
                basis_document_type="свидетельство о рождении",
                basis_document_number="II-МЮ 123456",
            ),
        )

        record.refresh_from_db()
        assert record.by_representative
        assert record.representative_name == "Иванова Алиса Петровна"
        assert record.represented_name == "Иванов Пётр Алексеевич"
        assert record.basis_document_type == "свидетельство о рождении"
        assert record.basis_document_number == "II-МЮ 123456"

    def test_records_the_staff_member_who_entered_a_paper_consent(self, alice, admin_user, give):
        record = give(
            alice, "mailings", source=ConsentRecord.Source.STAFF_PAPER, acted_by=admin_user
        )

        assert record.acted_by == admin_user
        assert record.source == ConsentRecord.Source.STAFF_PAPER

    def test_a_long_user_agent_is_cut_to_the_column_size(self, alice, give):
        assert len(give(alice, user_agent="x" * 2000).user_agent) == 512

    def test_an_unknown_purpose_records_nothing(self, alice, give):
        with pytest.raises(services.ConsentTextMissing):
            give(alice, "no-such-purpose")

        assert not ConsentRecord.objects.exists()


class TestConsentWithdraw:
    def test_withdrawing_an_optional_consent_keeps_the_account_active(self, alice, give):
        give(alice, "mailings")

        record = services.consent_withdraw(
            user=alice,
            purpose_code="mailings",
            source=ConsentRecord.Source.EMAIL_LINK,
            ip_address="203.0.113.9",
            user_agent=BROWSER,
        )

        alice.refresh_from_db()
        assert alice.is_active
        assert record.action == ConsentRecord.Action.WITHDRAWN
        assert record.source == ConsentRecord.Source.EMAIL_LINK
        assert record.ip_address == "203.0.113.9"
        assert record.text == ConsentText.objects.current_for_code("mailings")

    def test_withdrawing_the_account_consent_deactivates_the_user(self, alice, give):
        give(alice, "account")

        services.consent_withdraw(
            user=alice, purpose_code="account", source="profile", ip_address=None, user_agent=""
        )

        assert not alice.is_active
        alice.refresh_from_db()
        assert not alice.is_active

    def test_a_failed_withdrawal_leaves_the_account_active(self, alice, give):
        """The record and the deactivation are one transaction: all or nothing."""
        give(alice, "account")

        with (
            mock.patch.object(
                ConsentRecord.objects, "create", side_effect=DatabaseError("disk full")
            ),
            pytest.raises(DatabaseError),
        ):
            services.consent_withdraw(
                user=alice, purpose_code="account", source="profile", ip_address=None, user_agent=""
            )

        alice.refresh_from_db()
        assert alice.is_active
        assert ConsentRecord.objects.filter(action="withdrawn").count() == 0


class TestConsentTextVersions:
    def test_a_changed_text_is_a_new_version_and_old_records_keep_the_old_one(
        self, alice, admin_user, give
    ):
        purpose = ConsentPurpose.objects.get(code="mailings")
        first = ConsentText.objects.current_for_code("mailings")
        old_record = give(alice, "mailings")

        second = services.consent_text_publish(
            purpose=purpose,
            title=first.title,
            body=first.body + "\n\nНовый пункт.",
            published_by=admin_user,
        )
        new_record = give(alice, "mailings")

        old_record.refresh_from_db()
        first.refresh_from_db()
        assert second.version == 2
        assert second.published_by == admin_user
        assert ConsentText.objects.current_for_code("mailings") == second
        assert old_record.text == first
        assert "Новый пункт" not in first.body
        assert new_record.text == second

    def test_versions_are_numbered_per_purpose(self, admin_user):
        account = ConsentPurpose.objects.get(code="account")

        text = services.consent_text_publish(
            purpose=account, title="Согласие", body="Новая редакция.", published_by=admin_user
        )

        assert text.version == 2
        assert ConsentText.objects.current_for_code("mailings").version == 1


class TestPolicyAcceptance:
    def test_accepting_records_an_account_consent_under_the_new_policy(self, alice, publish_policy):
        policy = publish_policy("2.0", requires_renewed_consent=True)

        record = services.policy_accept(
            user=alice, policy_version=policy, ip_address="203.0.113.7", user_agent=BROWSER
        )

        assert record.purpose.code == "account"
        assert record.action == ConsentRecord.Action.GIVEN
        assert record.source == ConsentRecord.Source.POLICY_RENEWAL
        assert record.policy_version == policy
        assert record.text == ConsentText.objects.current_for_code("account")
        assert record.ip_address == "203.0.113.7"

    def test_acknowledging_twice_keeps_the_first_acknowledgement(self, alice, publish_policy):
        policy = publish_policy("1.1")

        first = services.policy_acknowledge(
            user=alice, policy_version=policy, ip_address="203.0.113.7", user_agent=BROWSER
        )
        second = services.policy_acknowledge(
            user=alice, policy_version=policy, ip_address="198.51.100.1", user_agent=""
        )

        assert second == first
        assert alice.policy_acknowledgements.get().ip_address == "203.0.113.7"
