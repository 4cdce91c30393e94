"""Staff must pass the second factor to open the admin; a site administrator resets a lost one."""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from accounts import second_factor
from accounts.models import SignedInSession
from tests.conftest import PortalClient, app_code
from tests.staff.conftest import STAFF_PASSWORD

pytestmark = pytest.mark.django_db

ADMIN = reverse("admin:index")
USERS = reverse("admin:accounts_user_changelist")
SETUP = reverse("accounts:second_factor")
CODE = reverse("accounts:second_factor_code")
AUTHENTICATORS = reverse("admin:accounts_authenticator_changelist")


def final_path(response) -> str:
    return response.redirect_chain[-1][0].split("?")[0]


class TestEnforcement:
    def test_staff_without_an_app_are_sent_from_any_admin_page_to_the_enrolment(
        self, client, pd_officer
    ):
        client.force_login(pd_officer, second_factor=False)

        for url in (ADMIN, USERS):
            response = client.get(url, follow=True)
            assert final_path(response) == SETUP
            assertContains(response, "Сотрудникам вход по коду обязателен")

    def test_enrolment_opens_the_admin_and_goes_back_to_the_page_asked_for(
        self, client, pd_officer
    ):
        client.force_login(pd_officer, second_factor=False)
        client.get(USERS, follow=True)
        device = TOTPDevice.objects.get(user=pd_officer)

        page = client.post(
            f"{SETUP}?next={USERS}", {"code": app_code(device), "password": STAFF_PASSWORD}
        )

        assertContains(page, f'href="{USERS}"')
        assert client.get(USERS).status_code == 200

    def test_staff_with_an_app_but_no_code_in_this_session_are_asked_for_it(
        self, client, pd_officer, enrol
    ):
        device, _ = enrol(pd_officer)
        client.force_login(pd_officer, second_factor=False)

        asked = client.get(USERS, follow=True)
        assert final_path(asked) == CODE
        response = client.post(f"{CODE}?next={USERS}", {"code": app_code(device)})

        assertRedirects(response, USERS)

    def test_the_password_sign_in_of_staff_without_an_app_leads_to_the_enrolment(
        self, client, pd_officer
    ):
        response = client.post(
            reverse("accounts:login"),
            {"username": pd_officer.email, "password": STAFF_PASSWORD, "next": ADMIN},
        )

        assertRedirects(response, f"{SETUP}?next={ADMIN.replace('/', '%2F')}")
        assert client.get(ADMIN).status_code == 302

    def test_the_password_sign_in_of_staff_with_an_app_asks_for_the_code(
        self, client, pd_officer, enrol
    ):
        device, _ = enrol(pd_officer)
        client.post(
            reverse("admin:login"),
            {"username": pd_officer.email, "password": STAFF_PASSWORD, "next": USERS},
        )
        assert "_auth_user_id" not in client.session

        response = client.post(CODE, {"code": app_code(device)})

        assertRedirects(response, USERS)
        assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id

    def test_the_admin_sign_in_page_is_the_portal_sign_in(self, client):
        response = client.get(reverse("admin:login"), {"next": USERS})

        assert response.status_code == 200
        assertContains(response, "Вход в личный кабинет")
        assertContains(response, f'name="next" value="{USERS}"')

    def test_a_consumer_is_refused_the_admin(self, client, alice):
        client.force_login(alice)

        response = client.get(ADMIN, follow=True)

        assert response.status_code == 403

    def test_a_verified_staff_member_opens_the_admin(self, client, pd_officer):
        client.force_login(pd_officer)

        assert client.get(USERS).status_code == 200


@pytest.fixture
def reset_permission():
    return Permission.objects.get(codename="reset_second_factor")


class TestReset:
    def test_the_list_names_accounts_by_number_and_masked_address_only(
        self, client, site_admin, pd_officer, enrol
    ):
        enrol(pd_officer)
        client.force_login(site_admin)

        response = client.get(AUTHENTICATORS)

        assertContains(response, f"№ {pd_officer.pk}")
        assertNotContains(response, pd_officer.email)
        assertNotContains(response, pd_officer.last_name)

    def test_the_list_is_searched_by_number_or_by_exact_address_with_the_pd_right(
        self, client, site_admin, clerk, pd_officer, auditor, enrol
    ):
        enrol(pd_officer)
        enrol(auditor)
        clerk.user_permissions.add(Permission.objects.get(codename="view_authenticator"))

        def found(user, term: str) -> list[int]:
            client.force_login(user)
            result = client.get(AUTHENTICATORS, {"q": term}).context["cl"].result_list
            return [device.user_id for device in result]

        assert found(site_admin, str(auditor.pk)) == [auditor.pk]
        assert found(site_admin, pd_officer.email.upper()) == [pd_officer.pk]
        assert found(clerk, pd_officer.email) == []
        assert found(clerk, "Сотрудникова") == []

    def test_the_list_costs_the_same_queries_however_many_apps(
        self, client, site_admin, django_user_model, enrol
    ):
        client.force_login(site_admin)
        client.get(AUTHENTICATORS)

        def count() -> int:
            with CaptureQueriesContext(connection) as captured:
                client.get(AUTHENTICATORS)
            return len(captured)

        few = count()
        for i in range(15):
            enrol(django_user_model.objects.create_user(f"p{i}@example.ru", is_staff=i % 2 == 0))
        assert count() == few

    def test_a_site_administrator_resets_a_lost_factor_and_it_is_logged(
        self, client, site_admin, pd_officer, enrol
    ):
        enrol(pd_officer)
        officer = PortalClient()
        officer.force_login(pd_officer)
        client.force_login(site_admin)
        device = TOTPDevice.objects.get(user=pd_officer)
        form = {"action": "reset_second_factor", "_selected_action": [device.pk]}

        confirm = client.post(AUTHENTICATORS, form)
        assertContains(confirm, f"Учётная запись № {pd_officer.pk}")
        assert second_factor.is_enrolled(pd_officer)
        response = client.post(AUTHENTICATORS, {**form, "confirmed": "yes"}, follow=True)

        assertContains(response, "Второй фактор сброшен")
        assert not TOTPDevice.objects.filter(user=pd_officer).exists()
        assert not StaticDevice.objects.filter(user=pd_officer).exists()
        # Whoever holds the lost phone is signed out everywhere.
        assert not SignedInSession.objects.filter(user=pd_officer).exists()
        assert "_auth_user_id" not in officer.session
        entry = LogEntry.objects.get(object_id=str(pd_officer.pk))
        assert entry.user == site_admin
        assert entry.action_flag == CHANGE
        assert entry.change_message == second_factor.RESET_MESSAGE
        assert pd_officer.last_name not in entry.object_repr
        assert pd_officer.email not in entry.object_repr

    def test_staff_without_the_permission_cannot_reset(self, client, pd_officer, auditor, enrol):
        enrol(auditor)
        client.force_login(pd_officer)
        device = TOTPDevice.objects.get(user=auditor)

        response = client.post(
            AUTHENTICATORS,
            {"action": "reset_second_factor", "_selected_action": [device.pk], "confirmed": "yes"},
        )

        assert response.status_code == 403
        assert second_factor.is_enrolled(auditor)

    def test_the_permission_alone_allows_the_reset(
        self, client, django_user_model, alice, enrol, reset_permission
    ):
        helper = django_user_model.objects.create_user(
            "helpdesk@ivsbyt.ru", STAFF_PASSWORD, is_staff=True
        )
        helper.user_permissions.add(
            reset_permission, Permission.objects.get(codename="view_authenticator")
        )
        enrol(alice)
        client.force_login(helper)
        device = TOTPDevice.objects.get(user=alice)

        client.post(
            AUTHENTICATORS,
            {"action": "reset_second_factor", "_selected_action": [device.pk], "confirmed": "yes"},
        )

        assert not second_factor.is_enrolled(alice)

    def test_the_libraries_own_device_pages_are_not_in_the_admin(self, client, admin_user):
        """They would show the secret key, the QR code and the recovery codes."""
        client.force_login(admin_user)

        assert client.get("/admin/otp_totp/totpdevice/").status_code == 404
        assert client.get("/admin/otp_static/staticdevice/").status_code == 404
