import pgtrigger.migrations
from django.db import migrations


class Migration(migrations.Migration):
    """PD subject requests now live in `pdrequests`, with their tables (state only). Their
    append-only triggers, named after this app, are dropped: `pdrequests.0001` installed them
    again under its own names."""

    dependencies = [
        ("consents", "0008_refuse_truncate"),
        ("pdrequests", "0001_initial"),
        ("feedback", "0005_rating_of_pdrequests"),
        ("staff", "0005_desk_models_to_pdrequests"),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(
            model_name="subjectrequestevent", name="consents_request_event_no_update"
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="subjectrequestevent", name="consents_request_event_no_delete"
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="subjectrequestevent", name="consents_request_event_no_truncate"
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="destructionact", name="consents_destruction_act_no_update"
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="destructionact", name="consents_destruction_act_no_delete"
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="destructionact", name="consents_destruction_act_no_truncate"
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="DestructionNotice"),
                migrations.DeleteModel(name="DestructionAct"),
                migrations.DeleteModel(name="SubjectRequestEvent"),
                migrations.DeleteModel(name="SubjectRequest"),
            ],
            database_operations=[],
        ),
    ]
