"""Incident workflows. Each function is one transaction; the batches of notices are queued only
once it commits."""

import datetime
from functools import partial

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from incidents import tasks
from incidents.models import (
    Incident,
    IncidentAlert,
    IncidentClockChange,
    IncidentNotification,
)
from lkk.bulk_mail import id_ranges
from lkk.person_cache import Shown, person_changed
from staff.roles import PD_OFFICER

CLOCKS = [field.value for field in IncidentClockChange.Field]


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


@transaction.atomic
def incident_save(*, incident: Incident, by: User) -> Incident:
    """Save the register's entry as staff wrote it. Each change of a moment the terms count
    from or end with (detection, the notice, the report) goes into the entry's history, the
    first values included; the PD officers are alerted at once of a new entry and of a term
    that is near or has run out."""
    is_new = incident.pk is None
    before = (
        {} if is_new else Incident.objects.select_for_update().values(*CLOCKS).get(pk=incident.pk)
    )
    if is_new:
        incident.created_by = by
    incident.save()
    IncidentClockChange.objects.bulk_create(
        IncidentClockChange(
            incident=incident,
            field=field,
            old_value=before.get(field),
            new_value=getattr(incident, field),
            changed_by=by,
        )
        for field in CLOCKS
        if getattr(incident, field) != before.get(field)
    )
    # The officers hear of a new incident at once, and of a term near or run out (an earlier
    # detection entered, say) without waiting for the cron job.
    officers = _pd_officers()
    registered = [IncidentAlert.Kind.REGISTERED] if is_new else []
    for kind in [*registered, *incident.alerts_due(timezone.now())]:
        _alert(incident, kind, officers)
    return incident


def _pd_officers() -> list[int]:
    return list(
        User.objects.filter(is_active=True, is_staff=True, groups__name=PD_OFFICER)
        .values_list("pk", flat=True)
        .distinct()
    )


def _alert(incident: Incident, kind: IncidentAlert.Kind, officers: list[int]) -> int:
    """One letter to each officer, unless this warning about this incident went already."""
    alert, created = IncidentAlert.objects.get_or_create(incident=incident, kind=kind)
    if not created:
        return 0
    for officer_id in officers:
        transaction.on_commit(
            partial(
                tasks.incident_alert_letter_send.enqueue, alert_id=alert.pk, recipient_id=officer_id
            )
        )
    return len(officers)


@transaction.atomic
def incident_alerts_queue(*, now: datetime.datetime) -> int:
    """Warn every PD officer, one letter each, of the terms near or run out of the incidents
    whose notices are not recorded: each warning once per incident, however often this runs
    (`manage.py remind_incident_deadlines`, every quarter of an hour; concurrent runs are
    settled by the alerts' unique constraint). Returns how many letters were queued."""
    officers = _pd_officers()
    open_incidents = Incident.objects.filter(
        Q(authority_notified_at__isnull=True) | Q(investigation_reported_at__isnull=True)
    )
    return sum(
        _alert(incident, kind, officers)
        for incident in open_incidents
        for kind in incident.alerts_due(now)
    )
