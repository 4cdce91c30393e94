import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from consents.models import ConsentRecord
from consents.services import consent_give
from lkk.moscow import moscow_time

pytestmark = pytest.mark.django_db

PROFILE = reverse("accounts:profile")


def test_profile_needs_login(client):
    response = client.get(PROFILE)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={PROFILE}"


def test_profile_shows_every_piece_of_personal_data_the_portal_holds(client, alice):
    alice.last_login = timezone.now()
    alice.save()
    client.force_login(alice)

    response = client.get(PROFILE)

    for shown in ("Иванова", "Алиса", "Петровна", "alice@example.ru", "+7 916 123-45-67"):
        assertContains(response, shown)
    assertContains(response, moscow_time(alice.date_joined))
    assertContains(response, "Последний вход")
    assertContains(response, reverse("consents:mine"))
    assertContains(response, "нельзя изменить самостоятельно")


def test_each_consumer_sees_only_their_own_data(client, alice, bob):
    client.force_login(bob)

    response = client.get(PROFILE)

    assertContains(response, "bob@example.ru")
    assertNotContains(response, "alice@example.ru")
    assertNotContains(response, "Иванова")


@pytest.mark.parametrize("history_length", [1, 50])
def test_profile_query_count_does_not_grow_with_the_consent_history(
    client, alice, history_length, django_assert_num_queries
):
    for _ in range(history_length):
        consent_give(
            user=alice,
            purpose_code="mailings",
            source=ConsentRecord.Source.PROFILE,
            ip_address="203.0.113.7",
            user_agent="test",
        )
    client.force_login(alice)

    # Session and user; the consents app's pending-policy check; the PD-blocking banner; the
    # incident notices; the reminders setting of the meters app. The session is not saved
    # again: it was saved at the sign-in, less than a minute ago.
    with django_assert_num_queries(6):
        response = client.get(PROFILE)

    assert response.status_code == 200


def test_a_consumer_changes_the_phone_to_a_valid_mobile(client, alice):
    client.force_login(alice)

    response = client.post(reverse("accounts:phone_change"), {"phone": "8 (903) 111-22-33"})

    assert response["Location"] == PROFILE
    alice.refresh_from_db()
    assert alice.phone == "+79031112233"


def test_a_landline_is_refused_and_the_old_phone_kept(client, alice):
    client.force_login(alice)

    response = client.post(reverse("accounts:phone_change"), {"phone": "+7 495 123-45-67"})

    assertContains(response, "Это не мобильный номер")
    assertContains(response, 'aria-invalid="true"')
    alice.refresh_from_db()
    assert alice.phone == "+79161234567"


def test_a_blocked_person_is_not_offered_to_change_the_contacts_and_is_told_why(
    client, alice, file_request
):
    from pdrequests.models import SubjectRequest

    request = file_request(alice, SubjectRequest.Kind.BLOCKING)
    client.force_login(alice)

    response = client.get(PROFILE)

    assertNotContains(response, reverse("accounts:phone_change"))
    assertNotContains(response, reverse("accounts:email_change"))
    assertContains(response, "Адрес почты и телефон сейчас нельзя изменить")
    assertContains(response, f"обращению № {request.number}")


def test_a_person_whose_data_is_not_blocked_is_offered_both_changes(client, alice):
    client.force_login(alice)

    response = client.get(PROFILE)

    assertContains(response, reverse("accounts:phone_change"))
    assertContains(response, reverse("accounts:email_change"))
