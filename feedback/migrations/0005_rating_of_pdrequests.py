import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """PD subject requests moved to `pdrequests` with their table: the same foreign key (state
    only)."""

    dependencies = [
        ("feedback", "0004_history_of_earlier_messages"),
        ("pdrequests", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="specialistrating",
                    name="subject_request",
                    field=models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="specialist_rating",
                        to="pdrequests.subjectrequest",
                        verbose_name="запрос субъекта ПДн",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
