"""The user admin: personal data only to those allowed, every look recorded, blocked people
read-only and masked except to the assignee of the blocking request."""

import pytest
from django.urls import reverse

from consents.admin import consent_history_admin_url
from pdrequests.models import Action, SubjectRequest
from staff.models import PersonalDataAccess

pytestmark = pytest.mark.django_db

USERS = reverse("admin:accounts_user_changelist")
ALICE_DATA = ("alice@example.ru", "Иванова", "Алиса", "Петровна", "+79161234567", "1234567")


def change_url(user) -> str:
    return reverse("admin:accounts_user_change", args=[user.pk])


def user_form(user, **changes) -> dict:
    """The admin's change form for `user` as submitted unchanged, with `changes` applied."""
    data = {
        "email": user.email,
        "last_name": user.last_name,
        "first_name": user.first_name,
        "patronymic": user.patronymic,
        "phone": user.phone,
        "is_active": "on",
        "date_joined_0": user.date_joined.strftime("%d.%m.%Y"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
    }
    return data | changes


def assert_no_personal_data(page: str) -> None:
    for value in ALICE_DATA:
        assert value not in page


class TestStaffWithoutPersonalDataRights:
    def test_the_list_shows_masks_only(self, as_staff, clerk, alice):
        page = as_staff(clerk).get(USERS).content.decode()

        assert "a***@example.ru" in page
        assert "И***** А. П." in page
        assert_no_personal_data(page)

    def test_searching_by_personal_data_is_not_offered_and_does_nothing(
        self, as_staff, clerk, alice, bob
    ):
        response = as_staff(clerk).get(USERS, {"q": "Иванова"})

        assert 'name="q"' not in response.content.decode()
        assert {user.email for user in response.context["cl"].result_list} >= {
            alice.email,
            bob.email,
        }

    def test_a_persons_page_shows_masks_read_only_and_is_not_recorded(self, as_staff, clerk, alice):
        client = as_staff(clerk)

        page = client.get(change_url(alice)).content.decode()

        assert "+7 *** ***-45-67" in page
        assert_no_personal_data(page)
        assert not PersonalDataAccess.objects.exists()
        assert client.post(change_url(alice), user_form(alice, last_name="X")).status_code == 403

    def test_the_history_page_names_the_person_by_the_mask(self, as_staff, clerk, alice):
        history = reverse("admin:accounts_user_history", args=[alice.pk])

        page = as_staff(clerk).get(history).content.decode()

        assert "И***** А. П." in page
        assert_no_personal_data(page)


class TestStaffWithPersonalDataRights:
    def test_the_list_still_shows_masks_but_search_finds_by_data(
        self, as_staff, pd_officer, alice, bob
    ):
        response = as_staff(pd_officer).get(USERS, {"q": "Иванова"})

        assert [user.pk for user in response.context["cl"].result_list] == [alice.pk]
        assert_no_personal_data(response.content.decode().replace('value="Иванова"', ""))
        assert not PersonalDataAccess.objects.exists()

    def test_a_persons_page_shows_the_data_and_the_look_is_recorded(
        self, as_staff, pd_officer, alice
    ):
        page = as_staff(pd_officer).get(change_url(alice)).content.decode()

        assert "alice@example.ru" in page
        assert "+79161234567" in page
        entry = PersonalDataAccess.objects.get()
        assert (entry.staff_user, entry.subject, entry.action) == (
            pd_officer,
            alice,
            PersonalDataAccess.Action.VIEWED,
        )
        assert entry.page == change_url(alice)
        assert "Иванова" not in entry.object_label

    def test_the_record_keeps_no_search_term_from_the_address(self, as_staff, pd_officer, alice):
        """The admin carries the list's search into the page's address: the journal must not."""
        as_staff(pd_officer).get(change_url(alice), {"_changelist_filters": "q=Иванова"})

        assert PersonalDataAccess.objects.get().page == change_url(alice)

    def test_the_list_costs_the_same_for_many_people(
        self, as_staff, pd_officer, django_user_model, django_assert_num_queries
    ):
        client = as_staff(pd_officer)
        client.get(USERS)

        # The session (read; save: 4), the user and permissions (3), the second factor's device
        # (1), the groups filter (1), the counts (2) and the page (1).
        with django_assert_num_queries(12):
            client.get(USERS)
        django_user_model.objects.bulk_create(
            django_user_model(email=f"p{i}@example.ru", last_name=f"Фам{i}") for i in range(30)
        )
        with django_assert_num_queries(12):
            response = client.get(USERS)
        assert len(response.context["cl"].result_list) == 31

    def test_the_page_links_to_the_consent_history(self, as_staff, pd_officer, alice):
        page = as_staff(pd_officer).get(change_url(alice)).content.decode()

        assert consent_history_admin_url(alice).replace("&", "&amp;") in page
        assert "Все записи о согласиях" in page

    def test_a_change_of_personal_data_is_recorded_with_the_fields_changed(
        self, as_staff, site_admin, alice
    ):
        response = as_staff(site_admin).post(
            change_url(alice), user_form(alice, last_name="Петрова", phone="+79160000000")
        )

        assert response.status_code == 302
        alice.refresh_from_db()
        assert (alice.last_name, alice.phone) == ("Петрова", "+79160000000")
        change = PersonalDataAccess.objects.get(action=PersonalDataAccess.Action.CHANGED)
        assert change.subject == alice
        assert sorted(change.changed_fields) == ["last_name", "phone"]
        assert "Петрова" not in str(change.changed_fields)

    def test_the_pd_officer_cannot_change_an_account_in_the_form(self, as_staff, pd_officer, alice):
        """Data is corrected through a request; the officer has no right to edit users."""
        response = as_staff(pd_officer).post(change_url(alice), user_form(alice, last_name="X"))

        assert response.status_code == 403
        alice.refresh_from_db()
        assert alice.last_name == "Иванова"


class TestBlockedSubject:
    @pytest.fixture
    def blocking(self, alice, file_request, act, pd_officer):
        request = file_request(alice, SubjectRequest.Kind.BLOCKING)
        return act(request, Action.TAKE_INTO_WORK, assignee=pd_officer)

    def test_staff_other_than_the_assignee_see_masks_and_which_request_blocks(
        self, as_staff, site_admin, blocking, alice
    ):
        page = as_staff(site_admin).get(change_url(alice), follow=True).content.decode()

        assert_no_personal_data(page)
        assert "И***** А. П." in page
        assert blocking.number in page
        assert "заблокированы" in page
        assert not PersonalDataAccess.objects.exists()

    def test_another_pd_officer_sees_masks_too(self, as_staff, other_officer, blocking, alice):
        page = as_staff(other_officer).get(change_url(alice)).content.decode()

        assert_no_personal_data(page)

    def test_the_assignee_sees_the_data_and_the_look_is_recorded(
        self, as_staff, pd_officer, blocking, alice
    ):
        page = as_staff(pd_officer).get(change_url(alice)).content.decode()

        assert "alice@example.ru" in page
        assert PersonalDataAccess.objects.filter(staff_user=pd_officer, subject=alice).exists()

    def test_nobody_changes_the_data_while_blocked_not_even_a_site_administrator(
        self, as_staff, site_admin, admin_user, blocking, alice
    ):
        for member in (site_admin, admin_user):
            client = as_staff(member)
            assert (
                client.post(change_url(alice), user_form(alice, last_name="X")).status_code == 403
            )
            password = reverse("admin:auth_user_password_change", args=[alice.pk])
            assert client.get(password).status_code == 403
        alice.refresh_from_db()
        assert alice.last_name == "Иванова"

    def test_unblocking_gives_the_data_back(self, as_staff, site_admin, blocking, act, alice):
        act(blocking, Action.UNBLOCK)

        page = as_staff(site_admin).get(change_url(alice)).content.decode()

        assert "alice@example.ru" in page
