"""The serial numbers of messages and of claims: one PostgreSQL sequence per kind."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial")]

    operations = [
        migrations.RunSQL(
            "CREATE SEQUENCE feedback_question_number_seq; "
            "CREATE SEQUENCE feedback_claim_number_seq;",
            "DROP SEQUENCE feedback_question_number_seq; "
            "DROP SEQUENCE feedback_claim_number_seq;",
        ),
    ]
