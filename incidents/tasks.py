"""Notices of an incident, sent in the background one batch of affected people at a time."""

from functools import partial

from accounts.models import User
from incidents.models import Incident, IncidentAlert, IncidentNotification
from lkk.bulk_mail import send_once
from lkk.letters import (
    LettersNotSent,
    WhenBlocked,
    greeting_name,
    letter_hold,
    letter_render,
    letter_send,
    letter_task,
    site_link,
)
from lkk.person_cache import Shown, person_changed
from lkk.personal_data import blocked_among


def _notice_letter(incident: Incident, notification: IncidentNotification):
    user = notification.user
    return letter_render(
        to=user,
        subject="Сообщение об инциденте с вашими персональными данными",
        template="emails/incidents/notice",
        name=greeting_name(user),
        incident=incident,
        link=site_link("incidents:notice", notification.pk),
    )


@letter_task(when_blocked=WhenBlocked.HOLD)
def incident_notices_send(*, incident_id: int, first_user_id: int, last_user_id: int) -> None:
    """The affected people with ids first…last: a notice in the portal for each, then a letter.

    The notices are inserted with ON CONFLICT DO NOTHING, so a person already told keeps the
    notice they have. Letters go only to addresses the person has confirmed: an address typed
    at registration and never confirmed may belong to someone else.

    A person whose data is blocked gets neither now: the notice is not a letter the law
    requires (art. 21 p. 3.1 requires the notice to Roskomnadzor), and writing to them, or a
    notice row of theirs, is processing the blocking stops. They are owed it, though, so it is
    held (a batch of one) and goes when the blocking ends (`lkk.letters.letters_release`).
    """
    incident = Incident.objects.filter(pk=incident_id).first()
    if incident is None:
        return
    user_ids = list(
        incident.affected_users()
        .filter(pk__range=(first_user_id, last_user_id))
        .values_list("pk", flat=True)
    )
    blocked = blocked_among(user_ids)
    for user_id in blocked:
        letter_hold(
            incident_notices_send,
            recipient_id=user_id,
            incident_id=incident_id,
            first_user_id=user_id,
            last_user_id=user_id,
        )
    user_ids = [user_id for user_id in user_ids if user_id not in blocked]
    IncidentNotification.objects.bulk_create(
        [IncidentNotification(incident=incident, user_id=user_id) for user_id in user_ids],
        ignore_conflicts=True,
    )
    person_changed(Shown.INCIDENT_NOTICES, user_ids)
    outcome = send_once(
        IncidentNotification.objects.filter(
            incident=incident, user_id__in=user_ids, user__awaiting_email_confirmation=False
        ).select_related("user"),
        sent_field="emailed_at",
        letter=partial(_notice_letter, incident),
    )
    if outcome.failed:
        raise LettersNotSent(f"{outcome.failed} letter(s) of incident #{incident_id} not sent")


# Staff's work letters about a term of the law (art. 21 p. 3.1): they go whatever the state of the
# officer's own data, as the operator's duty to meet the term depends on them.
@letter_task(when_blocked=WhenBlocked.SEND)
def incident_alert_letter_send(*, alert_id: int, recipient_id: int) -> None:
    """One PD officer warned of an incident's terms. Built when it goes out: a notice recorded
    meanwhile makes its warning moot, and none goes. The title, the moments and a link only:
    the letter names no affected person."""
    alert = IncidentAlert.objects.select_related("incident").filter(pk=alert_id).first()
    recipient = User.objects.filter(pk=recipient_id, is_active=True, is_staff=True).first()
    if alert is None or recipient is None or alert.is_moot:
        return
    incident = alert.incident
    kind = alert.get_kind_display()
    letter_send(
        to=recipient,
        subject=kind if alert.kind == alert.Kind.REGISTERED else f"Инцидент с ПДн: {kind}",
        template="emails/incidents/alert",
        html=False,
        name=greeting_name(recipient),
        alert=alert,
        incident=incident,
        link=site_link("admin:incidents_incident_change", incident.pk),
    )
