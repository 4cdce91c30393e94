from django.apps import AppConfig
from django.db.models.signals import post_migrate


class StaffConfig(AppConfig):
    """The staff foundation: roles, masking, the journal of staff access to personal data."""

    name = "staff"
    verbose_name = "Рабочее место сотрудника"

    def ready(self) -> None:
        from staff import pd_declaration  # noqa: F401  (declares what the desk holds)
        from staff.roles import roles_sync

        # After every app's post_migrate (no sender): the groups become exactly `ROLES`, the
        # site administrators' "everything" including each app's new permissions.
        post_migrate.connect(roles_sync, dispatch_uid="staff_roles_sync")
