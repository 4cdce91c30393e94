"""Blocking means blocking (policy 6.2.4): from the moment of the request until it is resolved."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse

from accounts import services as account_services
from accounts.models import User
from pdrequests.context_processors import pd_blocking
from pdrequests.models import Action, SubjectRequest, pd_is_blocked
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

BANNER = "Ваши персональные данные заблокированы"


@pytest.fixture
def blocking(alice, file_request) -> SubjectRequest:
    """Alice says her data is inaccurate: it is blocked at once."""
    return file_request(alice, SubjectRequest.Kind.BLOCKING)


def test_filing_a_blocking_request_blocks_the_data_from_that_moment(alice, blocking):
    assert pd_is_blocked(alice)
    assert blocking.blocked_at == blocking.received_at
    assert blocking.events.get().data == {"blocked": True}


def test_other_kinds_of_request_block_nothing(alice, file_request):
    file_request(alice, SubjectRequest.Kind.CORRECTION, corrections={"last_name": "Петрова"})

    assert not pd_is_blocked(alice)


class TestBanner:
    def test_the_subject_sees_the_banner_on_every_page_with_what_happens_next(
        self, client, alice, blocking
    ):
        client.force_login(alice)

        for page in ("billing:dashboard", "accounts:profile", "consents:mine"):
            content = client.get(reverse(page)).content.decode()
            assert BANNER in content
            assert blocking.number in content
            assert f"{blocking.due_on:%Y}" in content
            assert "уточнены по представленным документам" in content
            assert reverse("pdrequests:request_detail", args=[blocking.pk]) in content

    def test_another_consumer_sees_no_banner(self, client, bob, blocking):
        client.force_login(bob)

        assert BANNER not in client.get(reverse("accounts:profile")).content.decode()

    def test_the_banner_goes_once_the_blocking_ends(self, client, alice, blocking, act):
        act(blocking, Action.UNBLOCK, comment="Данные уточнены.")
        client.force_login(alice)

        assert BANNER not in client.get(reverse("accounts:profile")).content.decode()

    def test_the_banner_costs_one_query_for_a_consumer(
        self, alice, blocking, django_assert_num_queries
    ):
        request = RequestFactory().get("/")
        request.user = alice

        with django_assert_num_queries(1):
            found = pd_blocking(request)["pd_blocking"]
            assert found.number == blocking.number

    def test_the_banner_costs_no_query_for_a_visitor(self, django_assert_num_queries):
        request = RequestFactory().get("/")
        request.user = AnonymousUser()

        with django_assert_num_queries(0):
            assert not pd_blocking(request)["pd_blocking"]
            assert not pd_is_blocked(request.user)


class TestConsumerCannotChangeTheirData:
    @pytest.mark.parametrize(
        "page", ["accounts:phone_change", "accounts:email_change"], ids=["phone", "email"]
    )
    def test_pages_that_change_data_are_closed_with_a_clear_message(
        self, client, alice, blocking, page
    ):
        client.force_login(alice)

        response = client.get(reverse(page), follow=True)

        assert response.redirect_chain == [(reverse("accounts:profile"), 302)]
        assert "заблокированы по обращению" in response.content.decode()

    def test_a_posted_phone_change_is_refused(self, client, alice, blocking):
        client.force_login(alice)

        client.post(reverse("accounts:phone_change"), {"phone": "+79035550011"})

        alice.refresh_from_db()
        assert alice.phone == "+79161234567"

    def test_a_posted_email_change_is_refused(self, client, alice, blocking, mailoutbox):
        client.force_login(alice)

        client.post(
            reverse("accounts:email_change"),
            {"new_email": "alice.new@example.ru", "password": PASSWORD},
        )

        assert mailoutbox == []

    def test_an_email_change_link_opened_while_blocked_changes_nothing(self, alice, blocking):
        with pytest.raises(account_services.PersonalDataBlocked):
            account_services.email_change_confirm(user=alice, new_email="alice.new@example.ru")

        alice.refresh_from_db()
        assert alice.email == "alice@example.ru"

    def test_after_unblocking_the_consumer_may_change_their_phone_again(
        self, client, alice, blocking, act
    ):
        act(blocking, Action.UNBLOCK, comment="Проверка завершена.")
        client.force_login(alice)

        client.post(reverse("accounts:phone_change"), {"phone": "+79035550011"})

        alice.refresh_from_db()
        assert alice.phone == "+79035550011"


class TestStaffCannotChangeTheData:
    def test_the_correction_service_refuses_while_blocked(self, alice, blocking):
        with pytest.raises(account_services.PersonalDataBlocked):
            account_services.user_personal_data_correct(
                user=alice, changes={"last_name": "Петрова"}
            )

        alice.refresh_from_db()
        assert alice.last_name == "Иванова"

    def test_another_persons_request_does_not_unlock_it(self, alice, bob, blocking, file_request):
        bobs = file_request(bob, SubjectRequest.Kind.CORRECTION)

        with pytest.raises(account_services.PersonalDataBlocked):
            account_services.user_personal_data_correct(
                user=alice, changes={"last_name": "Петрова"}, resolving_request=bobs
            )

    def test_the_correction_that_resolves_the_request_goes_through(self, alice, blocking):
        changed = account_services.user_personal_data_correct(
            user=alice, changes={"last_name": "Петрова"}, resolving_request=blocking
        )

        assert changed == [{"field": "last_name", "old": "Иванова", "new": "Петрова"}]
        alice.refresh_from_db()
        assert alice.last_name == "Петрова"


class TestBlockedPeopleAreLeftOut:
    def test_blocking_in_force_names_the_blocked_subjects(self, alice, bob, blocking, act):
        def reachable():
            return set(
                User.objects.filter(is_staff=False).exclude(
                    pk__in=SubjectRequest.objects.blocking_in_force().values("subject")
                )
            )

        assert reachable() == {bob}

        act(blocking, Action.UNBLOCK, comment="Данные уточнены.")

        assert reachable() == {alice, bob}

    def test_a_request_blocked_by_staff_counts_too(self, bob, file_request, act):
        act(file_request(bob, SubjectRequest.Kind.OTHER), Action.BLOCK, comment="Письмо РКН.")

        assert pd_is_blocked(bob)
        assert list(
            SubjectRequest.objects.blocking_in_force().values_list("subject", flat=True)
        ) == [bob.pk]
