"""Notices of an incident, sent in the background one batch of affected people at a time."""

from functools import partial

from incidents.models import Incident, IncidentNotification
from lkk.bulk_mail import send_once
from lkk.letters import LettersNotSent, greeting_name, letter_render, letter_task, site_link
from lkk.person_cache import Shown, person_changed


def _notice_letter(incident: Incident, notification: IncidentNotification):
    user = notification.user
    return letter_render(
        to=user.email,
        subject="Сообщение об инциденте с вашими персональными данными",
        template="emails/incidents/notice",
        name=greeting_name(user),
        incident=incident,
        link=site_link("incidents:notice", notification.pk),
    )


@letter_task
def incident_notices_send(*, incident_id: int, first_user_id: int, last_user_id: int) -> None:
    """The affected people with ids first…last: a notice in the portal for each, then a letter.

    The notices are inserted with ON CONFLICT DO NOTHING, so a person already told keeps the
    notice they have. Letters go only to addresses the person has confirmed: an address typed
    at registration and never confirmed may belong to someone else.
    """
    incident = Incident.objects.filter(pk=incident_id).first()
    if incident is None:
        return
    user_ids = list(
        incident.affected_users()
        .filter(pk__range=(first_user_id, last_user_id))
        .values_list("pk", flat=True)
    )
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
