"""The three staff roles exist, each with exactly the rights its work needs: what `ROLES` in
`staff.roles` says, applied after every `migrate` by `roles_sync`."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

from staff import roles
from staff.roles import AUDITOR, PD_OFFICER, SITE_ADMINISTRATOR, roles_sync

pytestmark = pytest.mark.django_db


def permissions_of(group_name: str) -> set[str]:
    group = Group.objects.get(name=group_name)
    return {
        f"{app_label}.{codename}"
        for app_label, codename in group.permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


def test_the_pd_officer_works_requests_and_sees_the_data_for_it_and_nothing_more():
    assert permissions_of(PD_OFFICER) == {
        "pdrequests.view_subjectrequest",
        "pdrequests.add_subjectrequest",
        "pdrequests.change_subjectrequest",
        "pdrequests.view_destructionact",
        "consents.view_consentrecord",
        "consents.view_consentpurpose",
        "consents.view_consenttext",
        "consents.view_policyacknowledgement",
        "accounts.view_user",
        "staff.view_personal_data",
        "staff.export_request_journal",
        "feedback.view_feedbackmessage",
        "feedback.change_feedbackmessage",
        "feedback.view_specialistrating",
        "incidents.view_incident",
        "incidents.view_incidentnotification",
        "incidents.notify_subjects",
        "lkk.view_notificationfiling",
        "lkk.add_notificationfiling",
    }


def test_the_auditor_only_reads_the_journals_and_sees_no_personal_data():
    assert permissions_of(AUDITOR) == {
        "pdrequests.view_subjectrequest",
        "pdrequests.view_destructionact",
        "consents.view_consentrecord",
        "consents.view_consentpurpose",
        "consents.view_consenttext",
        "consents.view_policyacknowledgement",
        "staff.view_personaldataaccess",
        "staff.export_request_journal",
        "feedback.view_feedbackmessage",
        "feedback.view_specialistrating",
        "incidents.view_incident",
        "incidents.view_incidentnotification",
        "mailings.view_mailing",
        "mailings.view_mailingdelivery",
        "lkk.view_notificationfiling",
    }
    assert not any(
        codename.split(".")[1].startswith(("add_", "change_", "delete_"))
        for codename in permissions_of(AUDITOR)
    )


def test_the_site_administrator_has_every_permission():
    assert Group.objects.get(name=SITE_ADMINISTRATOR).permissions.count() == (
        Permission.objects.count()
    )


def test_the_site_administrator_gets_the_permissions_of_apps_migrated_later():
    newcomer = Permission.objects.create(
        codename="do_new_things",
        name="Новое право",
        content_type=ContentType.objects.get_for_model(Group),
    )

    roles_sync()

    assert newcomer in Group.objects.get(name=SITE_ADMINISTRATOR).permissions.all()
    assert newcomer not in Group.objects.get(name=AUDITOR).permissions.all()


def test_the_access_log_can_never_be_granted_for_writing():
    """Its entries are written by the code only: the model has no add/change/delete rights."""
    assert set(
        Permission.objects.filter(content_type__app_label="staff").values_list(
            "codename", flat=True
        )
    ) == {"view_personaldataaccess", "view_personal_data", "export_request_journal"}


def test_a_right_given_by_hand_is_taken_back_and_a_deleted_role_comes_back_on_the_next_sync():
    Group.objects.get(name=AUDITOR).permissions.add(Permission.objects.get(codename="delete_user"))
    Group.objects.filter(name=PD_OFFICER).delete()

    roles_sync()

    assert "accounts.delete_user" not in permissions_of(AUDITOR)
    assert permissions_of(PD_OFFICER) == set(roles.ROLES[PD_OFFICER])


def test_a_role_naming_a_permission_that_does_not_exist_is_an_error(monkeypatch):
    monkeypatch.setitem(
        roles.ROLES, AUDITOR, ["pdrequests.view_subjectrequest", "nope.view_nothing"]
    )

    with pytest.raises(LookupError, match=r"nope\.view_nothing"):
        roles_sync()


def test_migrate_leaves_the_roles_as_the_table_says():
    from django.core.management import call_command

    Group.objects.filter(name=AUDITOR).delete()

    call_command("migrate", verbosity=0)

    assert permissions_of(AUDITOR) == set(roles.ROLES[AUDITOR])
