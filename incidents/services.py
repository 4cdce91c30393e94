"""Incident workflows. Each function is one transaction; the batches of notices are queued only
once it commits."""

from functools import partial

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from incidents import tasks
from incidents.models import Incident, IncidentNotification
from lkk.bulk_mail import id_ranges
from lkk.person_cache import Shown, person_changed


class NoticeTextMissing(ValueError):
    """There is nothing to tell the people yet: the incident has no message for them."""


@transaction.atomic
def incident_notify(*, incident: Incident, started_by: User) -> int:
    """Tell everyone the incident affects, by email and in the portal, one task per batch.

    Safe to run again (to reach those whose letters failed, or after the list was corrected):
    whoever already has a notice is skipped, so nobody is told twice. Returns how many people
    the incident affects.
    """
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if not incident.notice_text.strip():
        raise NoticeTextMissing(incident.pk)
    batches = list(id_ranges(incident.affected_users()))
    if incident.notification_started_at is None:
        incident.notification_started_at = timezone.now()
        incident.notification_started_by = started_by
    incident.notification_total = sum(batch.size for batch in batches)
    incident.save(
        update_fields=[
            "notification_started_at",
            "notification_started_by",
            "notification_total",
        ]
    )
    for batch in batches:
        transaction.on_commit(
            partial(
                tasks.incident_notices_send.enqueue,
                incident_id=incident.pk,
                first_user_id=batch.first,
                last_user_id=batch.last,
            )
        )
    return incident.notification_total


@transaction.atomic
def incident_notice_dismiss(*, notification: IncidentNotification) -> None:
    """The person read the notice in the portal: the banner goes away, the first reading stays."""
    IncidentNotification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    person_changed(Shown.INCIDENT_NOTICES, [notification.user_id])
