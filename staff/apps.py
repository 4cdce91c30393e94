from django.apps import AppConfig
from django.db.models.signals import post_migrate


class StaffConfig(AppConfig):
    """The staff desk: roles, the journal of staff access to personal data, the PD-requests desk."""

    name = "staff"
    verbose_name = "Рабочее место сотрудника"

    def ready(self) -> None:
        from staff import pd_declaration  # noqa: F401  (declares what the desk holds)
        from staff.roles import site_administrators_complete

        # After every app's post_migrate (no sender): Django creates that app's permissions
        # first (auth's receiver was connected earlier), then the group gets them.
        post_migrate.connect(site_administrators_complete, dispatch_uid="staff_site_administrators")
