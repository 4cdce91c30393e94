# The daily reminder of due PD requests marks its letters in the cases' one mark table
# (`cases.CaseReminder`, letter «pdrequests»): the marks made so far move there, so that a run
# on the day of the deploy does not send a second letter.

from django.db import migrations

MARKS_MOVE = """
INSERT INTO cases_casereminder (recipient_id, day, letter)
SELECT recipient_id, day, 'pdrequests' FROM staff_duerequestsreminder
"""

MARKS_MOVE_BACK = """
INSERT INTO staff_duerequestsreminder (recipient_id, day)
SELECT recipient_id, day FROM cases_casereminder WHERE letter = 'pdrequests';
DELETE FROM cases_casereminder WHERE letter = 'pdrequests';
"""


class Migration(migrations.Migration):
    dependencies = [
        ("pdrequests", "0002_paper_requests_unlawful_term_act_179"),
        ("cases", "0002_reminder_letters_history_no_truncate"),
    ]

    operations = [
        migrations.RunSQL(MARKS_MOVE, MARKS_MOVE_BACK),
        migrations.RemoveConstraint(
            model_name="duerequestsreminder",
            name="staff_reminder_once_a_day",
        ),
        migrations.DeleteModel(
            name="DueRequestsReminder",
        ),
    ]
