"""The incidents already in the register start their history of terms with the moments they hold,
as entered by whoever registered them."""

from django.db import migrations

CLOCKS = ("detected_at", "authority_notified_at", "investigation_reported_at")


def start_history(apps, schema_editor):
    Incident = apps.get_model("incidents", "Incident")
    IncidentClockChange = apps.get_model("incidents", "IncidentClockChange")
    IncidentClockChange.objects.bulk_create(
        IncidentClockChange(
            incident_id=incident.pk,
            field=field,
            old_value=None,
            new_value=getattr(incident, field),
            changed_at=incident.created_at,
            changed_by_id=incident.created_by_id,
        )
        for incident in Incident.objects.all()
        for field in CLOCKS
        if getattr(incident, field) is not None
    )


class Migration(migrations.Migration):
    dependencies = [("incidents", "0002_clocks")]

    operations = [migrations.RunPython(start_history, migrations.RunPython.noop)]
