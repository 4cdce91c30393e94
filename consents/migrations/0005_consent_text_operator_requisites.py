"""Each consent text keeps the operator's requisites in force when it was published.

The first texts (0002) were written from settings.OPERATOR when the migrations ran, in the same
`migrate` on a new database: they get the requisites in force now, past the append-only trigger
for exactly this one column. A later change of requisites is published as new versions
(`manage.py consent_texts_republish`)."""

import pgtrigger
from django.conf import settings
from django.db import migrations, models


def requisites_of_first_texts(apps, schema_editor):
    ConsentText = apps.get_model("consents", "ConsentText")
    operator = {key: str(value) for key, value in settings.OPERATOR.items()}
    with pgtrigger.ignore("consents.ConsentText:consents_text_no_update"):
        ConsentText.objects.filter(operator={}, published_by__isnull=True, version=1).update(
            operator=operator
        )


class Migration(migrations.Migration):
    dependencies = [("consents", "0004_destruction_notice")]

    operations = [
        migrations.AddField(
            model_name="consenttext",
            name="operator",
            field=models.JSONField(
                blank=True,
                default=dict,
                editable=False,
                verbose_name="реквизиты оператора на дату публикации",
            ),
        ),
        migrations.RunPython(requisites_of_first_texts, migrations.RunPython.noop),
    ]
