import pytest
from django.conf import settings

from consents import services
from consents.models import ConsentPurpose, ConsentRecord, ConsentText, PolicyAcknowledgement
from tests.consents.conftest import assert_refused, raw_sql

pytestmark = pytest.mark.django_db


class TestConsentRecordsAreAppendOnly:
    def test_orm_update_of_a_record_is_refused(self, alice, give):
        record = give(alice)
        record.ip_address = "198.51.100.1"

        assert_refused(record.save)
        assert_refused(
            lambda: ConsentRecord.objects.filter(pk=record.pk).update(action="withdrawn")
        )

        record.refresh_from_db()
        assert record.ip_address == "203.0.113.7"
        assert record.action == ConsentRecord.Action.GIVEN

    def test_orm_delete_of_a_record_is_refused(self, alice, give):
        record = give(alice)

        assert_refused(record.delete)
        assert_refused(ConsentRecord.objects.all().delete)

        assert ConsentRecord.objects.filter(pk=record.pk).exists()

    def test_raw_sql_update_and_delete_of_a_record_are_refused(self, alice, give):
        record = give(alice)

        assert_refused(
            raw_sql(
                "UPDATE consents_consentrecord SET action = 'withdrawn' WHERE id = %s", record.pk
            )
        )
        assert_refused(raw_sql("DELETE FROM consents_consentrecord WHERE id = %s", record.pk))

        record.refresh_from_db()
        assert record.action == ConsentRecord.Action.GIVEN

    def test_published_consent_texts_cannot_be_changed_or_deleted(self):
        text = ConsentText.objects.current_for_code("account")

        assert_refused(
            raw_sql("UPDATE consents_consenttext SET body = 'другое' WHERE id = %s", text.pk)
        )
        assert_refused(raw_sql("DELETE FROM consents_consenttext WHERE id = %s", text.pk))
        assert_refused(lambda: ConsentText.objects.filter(pk=text.pk).update(title="другое"))

    def test_policy_acknowledgements_cannot_be_changed_or_deleted(self, alice, publish_policy):
        acknowledgement = services.policy_acknowledge(
            user=alice, policy_version=publish_policy("1.0"), ip_address=None, user_agent=""
        )

        assert_refused(lambda: PolicyAcknowledgement.objects.update(ip_address="198.51.100.1"))
        assert_refused(acknowledgement.delete)


class TestInitialPurposes:
    """The data migration: production gets the purposes and their first texts too."""

    def test_account_is_required_and_mailings_optional(self):
        purposes = {p.code: p for p in ConsentPurpose.objects.all()}

        assert purposes["account"].is_required
        assert not purposes["mailings"].is_required
        assert purposes["account"].name == (
            "Обработка персональных данных для регистрации и работы личного кабинета"
        )
        assert purposes["mailings"].name == "Получение новостей и рекламных предложений"

    @pytest.mark.parametrize("code", ["account", "mailings"])
    def test_each_purpose_has_a_first_text_stating_what_article_9_part_4_requires(self, code):
        text = ConsentText.objects.current_for_code(code)

        assert text.version == 1
        for required in [
            settings.OPERATOR["name"],  # the operator's name
            settings.OPERATOR["address"],  # and address
            "Цель обработки",
            "Перечень персональных данных",
            "адрес электронной почты",
            "Действия с персональными данными",
            "Срок действия согласия",
            "Порядок отзыва",
        ]:
            assert required in text.body, required


class TestCurrentState:
    def test_state_is_taken_from_the_latest_record(self, alice, give):
        give(alice, "mailings")
        services.consent_withdraw(
            user=alice, purpose_code="mailings", source="profile", ip_address=None, user_agent=""
        )

        mailings = ConsentPurpose.objects.with_state_for(alice).get(code="mailings")

        assert mailings.current_action == ConsentRecord.Action.WITHDRAWN
        assert not mailings.is_given

    def test_giving_again_after_a_withdrawal_makes_the_consent_current(self, alice, give):
        give(alice, "mailings")
        services.consent_withdraw(
            user=alice, purpose_code="mailings", source="profile", ip_address=None, user_agent=""
        )
        latest = give(alice, "mailings")

        (current,) = ConsentRecord.objects.current_for(alice).filter(purpose__code="mailings")

        assert current == latest
        assert ConsentPurpose.objects.with_state_for(alice).get(code="mailings").is_given

    def test_a_purpose_never_asked_about_has_no_state(self, alice, give):
        give(alice, "account")

        states = {p.code: p for p in ConsentPurpose.objects.with_state_for(alice)}

        assert states["account"].is_given
        assert states["mailings"].current_action is None
        assert not states["mailings"].is_given

    def test_another_persons_records_do_not_count(self, alice, bob, give):
        give(bob, "mailings")

        assert not ConsentPurpose.objects.with_state_for(alice).get(code="mailings").is_given
        assert list(ConsentRecord.objects.current_for(alice)) == []

    def test_current_state_of_every_purpose_is_one_query(
        self, alice, give, django_assert_num_queries
    ):
        for _ in range(5):
            give(alice, "mailings")
            give(alice, "account")

        with django_assert_num_queries(1):
            assert len(list(ConsentPurpose.objects.with_state_for(alice))) == 2
        with django_assert_num_queries(1):
            assert len(list(ConsentRecord.objects.current_for(alice))) == 2
