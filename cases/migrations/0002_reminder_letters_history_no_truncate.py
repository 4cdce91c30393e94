# The reminder marks say which daily letter they mark (the PD requests' letter moves its marks
# here, see pdrequests 0003); the history refuses TRUNCATE like every evidence table; the
# history's columns come from `CaseEventBase` (a help text and a form-only length: no SQL).

import django.db.models.deletion
import pgtrigger.compiler
import pgtrigger.migrations
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_case_history_and_reminders"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="casereminder",
            name="cases_reminder_once_a_day",
        ),
        migrations.AddField(
            model_name="casereminder",
            name="letter",
            # The marks there are are the cases' letter's.
            field=models.CharField(default="cases", max_length=30, verbose_name="письмо"),
            preserve_default=False,
        ),
        migrations.AddConstraint(
            model_name="casereminder",
            constraint=models.UniqueConstraint(
                fields=("recipient", "day", "letter"), name="cases_reminder_once_a_day"
            ),
        ),
        migrations.AlterField(
            model_name="caseevent",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="кто",
            ),
        ),
        migrations.AlterField(
            model_name="caseevent",
            name="comment",
            field=models.TextField(blank=True, verbose_name="комментарий"),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="caseevent",
            trigger=pgtrigger.compiler.Trigger(
                name="cases_event_no_truncate",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="RAISE EXCEPTION 'pgtrigger: Cannot truncate % table', TG_TABLE_NAME;",
                    hash="3d0f5a8371ed08e6e23a43884d23f0759cbd0fd9",
                    level="STATEMENT",
                    operation="TRUNCATE",
                    pgid="pgtrigger_cases_event_no_truncate_7b0ea",
                    table="cases_caseevent",
                    when="BEFORE",
                ),
            ),
        ),
    ]
