"""The staff roles: one table, `ROLES`, of each group and its permissions, and the rights the
code checks.

`roles_sync` makes the groups in the database exactly what `ROLES` says. It runs after every
`migrate` (post_migrate, see `staff.apps`), so a role changes with a change of this table and a
deploy, never with a data migration; the tests call it too. Each role has the least privilege its
work needs (152-FZ art. 18.1, 19):

- «Администратор сайта»: every permission there is, those of apps installed later included.
- «Ответственный за ПДн»: works PD requests and sees the personal data that needs; changes a
  person's data only through a request's correction, never in the user form (no change right on
  users). Answers consumers' messages, reads the incident register and whom it notified, and
  notifies the affected people: telling people of a breach of their data is the PD officer's duty
  (152-FZ art. 18.1, 21), while registering an incident and writing its notice stay with the site
  administrators, so a notice goes out only when both have acted. Keeps the notification to
  Roskomnadzor (art. 22) in step with the registry and records its filings. No rights on
  mailings: they are information letters, not work with personal data.
- «Аудитор»: reads the request journal and its history, the destruction acts, the consent
  records, the journal of staff access to personal data, messages, incidents and mailings with
  their deliveries; changes nothing and, without the PD right, sees masks only.
"""

from typing import Any, Final

from django.apps import apps as installed_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db.models import Q

SITE_ADMINISTRATOR = "Администратор сайта"
PD_OFFICER = "Ответственный за ПДн"
AUDITOR = "Аудитор"

VIEW_PERSONAL_DATA = "staff.view_personal_data"
EXPORT_REQUEST_JOURNAL = "staff.export_request_journal"
VIEW_REQUESTS = "pdrequests.view_subjectrequest"
WORK_REQUESTS = "pdrequests.change_subjectrequest"
FILE_REQUESTS = "pdrequests.add_subjectrequest"

ALL_PERMISSIONS: Final = "*"

_READ_JOURNAL = [
    VIEW_REQUESTS,
    "pdrequests.view_destructionact",
    "consents.view_consentrecord",
    "consents.view_consentpurpose",
    "consents.view_consenttext",
    "consents.view_policyacknowledgement",
    EXPORT_REQUEST_JOURNAL,
]
_READ_RECORDS = [
    "feedback.view_feedbackmessage",
    "feedback.view_specialistrating",
    "incidents.view_incident",
    "incidents.view_incidentnotification",
]

# Every group and its permissions ("app_label.codename"), in one place.
ROLES: dict[str, list[str] | str] = {
    SITE_ADMINISTRATOR: ALL_PERMISSIONS,
    PD_OFFICER: [
        *_READ_JOURNAL,
        *_READ_RECORDS,
        FILE_REQUESTS,
        WORK_REQUESTS,
        "accounts.view_user",
        VIEW_PERSONAL_DATA,
        "feedback.change_feedbackmessage",
        "incidents.notify_subjects",
        "lkk.view_notificationfiling",
        "lkk.add_notificationfiling",
    ],
    AUDITOR: [
        *_READ_JOURNAL,
        *_READ_RECORDS,
        "staff.view_personaldataaccess",
        "mailings.view_mailing",
        "mailings.view_mailingdelivery",
        "lkk.view_notificationfiling",
    ],
}


def _permission_ids(names: set[str], *, using: str) -> dict[str, int]:
    wanted = Q()
    for name in names:
        app_label, codename = name.split(".", 1)
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    found = (
        Permission.objects.using(using)
        .filter(wanted)
        .values_list("content_type__app_label", "codename", "pk")
    )
    return {f"{app_label}.{codename}": pk for app_label, codename, pk in found}


def roles_sync(*, using: str = "default", **kwargs: Any) -> None:
    """Make every group of `ROLES` have exactly its permissions (creating the group if needed).

    Idempotent and cheap when nothing changed. Connected to post_migrate for every app: the
    permissions of apps not migrated yet are created first (what post_migrate would do for
    them a moment later), so the groups are complete after the first call.
    """
    named = {
        name
        for permissions in ROLES.values()
        if permissions != ALL_PERMISSIONS
        for name in permissions
    }
    ids = _permission_ids(named, using=using)
    if ids.keys() != named:
        for app_config in installed_apps.get_app_configs():
            create_permissions(app_config, verbosity=0, using=using)
        ids = _permission_ids(named, using=using)
        if unknown := named - ids.keys():
            raise LookupError(f"ROLES names permissions that do not exist: {sorted(unknown)}")
    for name, permissions in ROLES.items():
        group, _ = Group.objects.using(using).get_or_create(name=name)
        if permissions == ALL_PERMISSIONS:
            group.permissions.set(Permission.objects.using(using).values_list("pk", flat=True))
        else:
            group.permissions.set([ids[permission] for permission in permissions])
