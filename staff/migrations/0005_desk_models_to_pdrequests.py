from django.db import migrations


class Migration(migrations.Migration):
    """The PD-requests desk's models now live in `pdrequests`; the table stays (state only)."""

    dependencies = [
        ("staff", "0004_refuse_truncate"),
        ("pdrequests", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveConstraint(
                    model_name="duerequestsreminder",
                    name="staff_reminder_once_a_day",
                ),
                migrations.DeleteModel(name="RequestsDashboard"),
                migrations.DeleteModel(name="DueRequestsReminder"),
            ],
            database_operations=[],
        ),
    ]
