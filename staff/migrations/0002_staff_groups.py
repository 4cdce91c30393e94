"""Superseded: the roles now live in code (`staff.roles.ROLES`), applied after every
`migrate` by `staff.roles.roles_sync`. This migration stays (databases have it applied) and does
nothing; its functions are kept only for code that still imports them.

What it did:

The staff roles, each with the least privilege its work needs (152-FZ art. 18.1, 19).

- «Администратор сайта»: every permission there is.
- «Ответственный за ПДн»: works PD requests and sees the personal data that needs; changes a
  person's data only through a request's correction, never in the user form.
- «Аудитор»: reads the request journal and its history, the destruction acts, the consent
  records and the journal of staff access to personal data; changes nothing, sees no personal
  data.

Permissions are normally created after `migrate` (post_migrate), too late for this migration on
a fresh database: then `create_permissions` is called here for every app first (idempotent). The
function is idempotent too, and cheap when the permissions exist (tests re-run it before each
test): it sets each group's permissions to exactly these. Apps migrated later get their permissions added to
the site administrators' group after each `migrate` (`staff.roles`).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

SITE_ADMINISTRATOR = "Администратор сайта"
PD_OFFICER = "Ответственный за ПДн"
AUDITOR = "Аудитор"

# What the two narrow roles do. The PD officer's `change_subjectrequest` is what lets a person
# act on a request in the workflow; they get no change right on users.
READ_JOURNAL = [
    ("consents", "view_subjectrequest"),
    ("consents", "view_destructionact"),
    ("consents", "view_consentrecord"),
    ("consents", "view_consentpurpose"),
    ("consents", "view_consenttext"),
    ("consents", "view_policyacknowledgement"),
    ("staff", "export_request_journal"),
]
GROUP_PERMISSIONS = {
    PD_OFFICER: [
        *READ_JOURNAL,
        ("consents", "add_subjectrequest"),
        ("consents", "change_subjectrequest"),
        ("accounts", "view_user"),
        ("staff", "view_personal_data"),
    ],
    AUDITOR: [
        *READ_JOURNAL,
        ("staff", "view_personaldataaccess"),
    ],
}


def ensure_permissions(apps) -> None:
    """Create every app's permissions now (what post_migrate would do after `migrate`)."""
    for app_config in apps.get_app_configs():
        # The migration state's app configs have no models module, which create_permissions
        # takes for "no models": stand one in for the call (`get_models()` answers anyway).
        original = getattr(app_config, "models_module", None)
        app_config.models_module = original or True
        try:
            create_permissions(app_config, apps=apps, verbosity=0)
        finally:
            app_config.models_module = original


def create_staff_groups(apps, schema_editor) -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    wanted = {pair for pairs in GROUP_PERMISSIONS.values() for pair in pairs}

    def existing() -> dict[tuple[str, str], int]:
        found = Permission.objects.filter(
            content_type__app_label__in={app_label for app_label, _ in wanted},
            codename__in={codename for _, codename in wanted},
        ).values_list("content_type__app_label", "codename", "pk")
        return {(app_label, codename): pk for app_label, codename, pk in found}

    permission_ids = existing()
    if not wanted <= permission_ids.keys():  # a fresh database: before post_migrate
        ensure_permissions(apps)
        permission_ids = existing()

    administrators, _ = Group.objects.get_or_create(name=SITE_ADMINISTRATOR)
    administrators.permissions.set(Permission.objects.values_list("pk", flat=True))
    for name, pairs in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set([permission_ids[pair] for pair in pairs])


def remove_staff_groups(apps, schema_editor) -> None:
    apps.get_model("auth", "Group").objects.filter(
        name__in=[SITE_ADMINISTRATOR, PD_OFFICER, AUDITOR]
    ).delete()


class Migration(migrations.Migration):
    # Every app whose permissions a group is given; the site administrators get everything
    # that exists, so every app installed when this was written.
    dependencies = [
        ("staff", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("sessions", "0001_initial"),
        ("axes", "0010_accessattemptexpiration"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
        ("accounts", "0002_user_awaiting_email_confirmation"),
        ("privacy", "0002_published_versions_immutable"),
        ("consents", "0003_subject_requests"),
        ("workcalendar", "0001_initial"),
        ("billing", "0001_initial"),
        ("visits", "0001_initial"),
    ]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
