"""Consent is a document of its own (152-FZ art. 9 p. 1 since 01.09.2025): registration and the
renewal of a policy ask for it apart from the acknowledgement of the policy, and record both."""

import pytest
from django.urls import reverse

from consents.models import ConsentRecord, PolicyAcknowledgement

pytestmark = pytest.mark.django_db

REGISTER = reverse("accounts:register")


def test_the_consent_tick_says_nothing_of_the_policy(client):
    page = client.get(REGISTER).content.decode()

    consent_label = page.split('for="id_consent_account"')[1].split("</label>")[0]
    assert "Я даю согласие на обработку моих персональных данных" in consent_label
    assert "Политик" not in consent_label
    assert "Я ознакомлен(а) с" in page


def test_registration_without_the_policy_tick_is_refused_with_the_reason(client, registration_data):
    data = registration_data()
    del data["policy_acknowledged"]

    response = client.post(REGISTER, data)

    assert "Подтвердите, что ознакомились с Политикой" in response.content.decode()
    assert not ConsentRecord.objects.exists()


def test_registration_records_the_consent_and_the_acknowledgement_apart(
    client, registration_data, policy_in_force
):
    client.post(REGISTER, registration_data(), REMOTE_ADDR="203.0.113.9")

    [record] = ConsentRecord.objects.filter(purpose__code="account")
    acknowledgement = PolicyAcknowledgement.objects.get(user=record.user)
    assert (acknowledgement.policy_version, acknowledgement.ip_address) == (
        policy_in_force,
        "203.0.113.9",
    )
    assert record.policy_version == policy_in_force


def test_renewal_asks_for_both_ticks_and_records_both(client, alice, policy_in_force):
    from privacy.models import PolicyVersion

    renewed = PolicyVersion.objects.create(
        label="2.0",
        title="Политика, редакция 2.0",
        body="Текст",
        effective_date=policy_in_force.effective_date,
        requires_renewed_consent=True,
        status=PolicyVersion.Status.PUBLISHED,
        published_at=policy_in_force.published_at,
    )
    client.force_login(alice)
    review = reverse("consents:policy_review")

    only_consent = client.post(review, {"version": "2.0", "accept": "on"})
    assert "подтвердите, что ознакомились" in only_consent.content.decode()
    assert not ConsentRecord.objects.filter(user=alice).exists()

    client.post(review, {"version": "2.0", "acknowledged": "on", "accept": "on"})

    assert ConsentRecord.objects.get(user=alice).policy_version == renewed
    assert PolicyAcknowledgement.objects.get(user=alice).policy_version == renewed
