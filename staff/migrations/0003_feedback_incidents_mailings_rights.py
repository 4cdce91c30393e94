"""Superseded: the roles now live in code (`staff.roles.ROLES`), applied after every
`migrate` by `staff.roles.roles_sync`. This migration stays (databases have it applied) and does
nothing; its functions are kept only for code that still imports them.

What it did:

The narrow roles' rights in the apps installed after the groups were created.

- «Ответственный за ПДн» answers consumers' messages (view and change them, see the ratings),
  reads the incident register and whom it notified, and notifies the affected people
  (`incidents.notify_subjects`): telling people of a breach of their data is the PD officer's
  duty (152-FZ art. 18.1, 21), while registering an incident and writing its notice stay with
  the site administrators, so a notice goes out only when both have acted. No rights on
  mailings: they are information letters, not work with personal data.
- «Аудитор» reads the same records and the mailings with their deliveries (whether a mailing
  reached only those who consented to it), changes nothing and, without the PD right, sees
  masks only.

The function first puts the groups back as migration 0002 does, then adds these rights: run
alone (as the tests do before each test) it gives the final state. Idempotent.
"""

import importlib

from django.db import migrations

staff_groups = importlib.import_module("staff.migrations.0002_staff_groups")

READ_RECORDS = [
    ("feedback", "view_feedbackmessage"),
    ("feedback", "view_specialistrating"),
    ("incidents", "view_incident"),
    ("incidents", "view_incidentnotification"),
]
ADDED_PERMISSIONS = {
    staff_groups.PD_OFFICER: [
        *READ_RECORDS,
        ("feedback", "change_feedbackmessage"),
        ("incidents", "notify_subjects"),
    ],
    staff_groups.AUDITOR: [
        *READ_RECORDS,
        ("mailings", "view_mailing"),
        ("mailings", "view_mailingdelivery"),
    ],
}


def _permission_ids(Permission, wanted: set[tuple[str, str]]) -> dict[tuple[str, str], int]:
    found = Permission.objects.filter(
        content_type__app_label__in={app_label for app_label, _ in wanted},
        codename__in={codename for _, codename in wanted},
    ).values_list("content_type__app_label", "codename", "pk")
    return {(app_label, codename): pk for app_label, codename, pk in found}


def grant_feedback_incidents_mailings_rights(apps, schema_editor) -> None:
    staff_groups.create_staff_groups(apps, schema_editor)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    wanted = {pair for pairs in ADDED_PERMISSIONS.values() for pair in pairs}
    permission_ids = _permission_ids(Permission, wanted)
    if not wanted <= permission_ids.keys():  # a fresh database: before post_migrate
        staff_groups.ensure_permissions(apps)
        permission_ids = _permission_ids(Permission, wanted)
    # Migration 0002 gave the site administrators everything that existed before the
    # permissions just created: everything again.
    Group.objects.get(name=staff_groups.SITE_ADMINISTRATOR).permissions.set(
        Permission.objects.values_list("pk", flat=True)
    )
    for name, pairs in ADDED_PERMISSIONS.items():
        Group.objects.get(name=name).permissions.add(*(permission_ids[pair] for pair in pairs))


def revoke_feedback_incidents_mailings_rights(apps, schema_editor) -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission_ids = _permission_ids(
        Permission, {pair for pairs in ADDED_PERMISSIONS.values() for pair in pairs}
    )
    for name, pairs in ADDED_PERMISSIONS.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.remove(
                *(permission_ids[pair] for pair in pairs if pair in permission_ids)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("staff", "0002_staff_groups"),
        ("feedback", "0002_number_sequences"),
        ("incidents", "0001_initial"),
        ("mailings", "0001_initial"),
    ]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
