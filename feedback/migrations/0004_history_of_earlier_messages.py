"""The case history (cases.CaseEvent) of the messages received before it existed: what the
message rows themselves tell — filed (by its author), answered or closed (by its specialist).
Who took a message into work, and when, was never recorded, so that step is not invented."""

from django.db import migrations


def backfill(apps, schema_editor) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    CaseEvent = apps.get_model("cases", "CaseEvent")
    FeedbackMessage = apps.get_model("feedback", "FeedbackMessage")
    case_type, _created = ContentType.objects.get_or_create(
        app_label="feedback", model="feedbackmessage"
    )
    recorded = set(CaseEvent.objects.filter(case_type=case_type).values_list("case_id", flat=True))
    events = []
    for message in FeedbackMessage.objects.exclude(pk__in=recorded).iterator(chunk_size=2000):
        events.append(
            CaseEvent(
                case_type=case_type,
                case_id=message.pk,
                at=message.received_at,
                actor_id=message.user_id,
                action="filed",
                to_status="new",
            )
        )
        if message.answered_at:
            events.append(
                CaseEvent(
                    case_type=case_type,
                    case_id=message.pk,
                    at=message.answered_at,
                    actor_id=message.assignee_id,
                    action="answer",
                    to_status="answered",
                    comment=message.answer_text,
                )
            )
        elif message.closed_at:
            events.append(
                CaseEvent(
                    case_type=case_type,
                    case_id=message.pk,
                    at=message.closed_at,
                    actor_id=message.assignee_id,
                    action="close",
                    to_status="closed",
                )
            )
        if len(events) >= 2000:
            CaseEvent.objects.bulk_create(events)
            events = []
    CaseEvent.objects.bulk_create(events)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_case_history_and_reminders"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("feedback", "0003_rating_of_service_requests"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
