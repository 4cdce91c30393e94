"""The admin: the consent history is complete and cannot be altered; texts get new versions."""

import pytest
from django.urls import reverse

from consents.admin import consent_history_admin_url
from consents.models import ConsentPurpose, ConsentRecord, ConsentText

pytestmark = pytest.mark.django_db

RECORDS = reverse("admin:consents_consentrecord_changelist")


@pytest.fixture
def staff_client(client, admin_user):
    client.force_login(admin_user)
    return client


class TestConsentRecords:
    def test_a_users_history_link_lists_exactly_their_records(self, staff_client, alice, bob, give):
        give(alice, "account")
        give(alice, "mailings")
        give(bob, "account")

        response = staff_client.get(consent_history_admin_url(alice))

        assert response.status_code == 200
        shown = list(response.context["cl"].result_list)
        assert len(shown) == 2
        assert {record.user for record in shown} == {alice}

    def test_records_are_searchable_by_email_and_filterable(self, staff_client, alice, bob, give):
        give(alice, "mailings")
        give(bob, "mailings", source=ConsentRecord.Source.STAFF_PAPER)

        by_email = staff_client.get(RECORDS, {"q": "bob@example.ru"}).context["cl"].result_list
        by_source = staff_client.get(RECORDS, {"source__exact": "staff_paper"})
        by_purpose = staff_client.get(RECORDS, {"purpose__id__exact": give(alice).purpose_id})

        assert [r.user for r in by_email] == [bob]
        assert [r.user for r in by_source.context["cl"].result_list] == [bob]
        assert [r.purpose.code for r in by_purpose.context["cl"].result_list] == ["account"]

    def test_a_record_can_be_viewed_but_not_added_changed_or_deleted(
        self, staff_client, alice, give
    ):
        record = give(alice)
        change = reverse("admin:consents_consentrecord_change", args=[record.pk])

        view = staff_client.get(change)

        assert view.status_code == 200
        assert "203.0.113.7" in view.content.decode()
        assert staff_client.post(change, {"action": "withdrawn"}).status_code == 403
        assert staff_client.get(reverse("admin:consents_consentrecord_add")).status_code == 403
        delete = reverse("admin:consents_consentrecord_delete", args=[record.pk])
        assert staff_client.post(delete, {"post": "yes"}).status_code == 403
        record.refresh_from_db()
        assert record.action == ConsentRecord.Action.GIVEN

    def test_the_list_costs_the_same_whatever_its_length(
        self, staff_client, alice, give, django_assert_max_num_queries
    ):
        for _ in range(30):
            give(alice, "mailings")

        with django_assert_max_num_queries(12):
            assert staff_client.get(RECORDS).status_code == 200

    def test_a_consumer_without_permissions_sees_nothing(self, client, alice, give):
        give(alice)
        alice.is_staff = True  # may enter the admin, yet holds no PD permission
        alice.save()
        client.force_login(alice)

        assert client.get(RECORDS).status_code == 403


class TestConsentTexts:
    def test_publishing_a_changed_text_creates_the_next_version(self, staff_client, admin_user):
        first = ConsentText.objects.current_for_code("mailings")
        add = reverse("admin:consents_consenttext_add")

        form = staff_client.get(add, {"based_on": first.pk})
        response = staff_client.post(
            add,
            {
                "purpose": first.purpose_id,
                "title": first.title,
                "body": first.body + "\n\n8. Новый пункт.",
            },
        )

        assert first.body[:40] in form.content.decode()
        assert response.status_code == 302
        current = ConsentText.objects.current_for_code("mailings")
        assert current.version == 2
        assert current.published_by == admin_user
        first.refresh_from_db()
        assert "Новый пункт" not in first.body

    def test_an_unchanged_text_is_not_published_again(self, staff_client):
        first = ConsentText.objects.current_for_code("mailings")

        response = staff_client.post(
            reverse("admin:consents_consenttext_add"),
            {"purpose": first.purpose_id, "title": first.title, "body": first.body},
        )

        assert response.status_code == 200
        assert "Текст не изменился" in response.content.decode()
        assert ConsentText.objects.filter(purpose=first.purpose).count() == 1

    def test_a_published_version_cannot_be_edited_or_deleted(self, staff_client):
        text = ConsentText.objects.current_for_code("account")
        change = reverse("admin:consents_consenttext_change", args=[text.pk])

        assert staff_client.get(change).status_code == 200
        assert staff_client.post(change, {"title": "Другое", "body": "x"}).status_code == 403
        delete = reverse("admin:consents_consenttext_delete", args=[text.pk])
        assert staff_client.post(delete, {"post": "yes"}).status_code == 403

    def test_purposes_cannot_be_deleted(self, staff_client):
        purpose = ConsentPurpose.objects.get(code="mailings")
        delete = reverse("admin:consents_consentpurpose_delete", args=[purpose.pk])

        assert staff_client.post(delete, {"post": "yes"}).status_code == 403
