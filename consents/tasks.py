"""Letters about PD subject requests, sent in the background by `django.tasks` after commit.

Service notifications the law requires (152-FZ art. 20, 21): they need no mailing consent and
go to blocked subjects too. The task takes the history entry's id and builds the letter from the
request as it is when the letter goes out.
"""

from consents.models import SubjectRequestEvent
from lkk.letters import greeting_name, letter_send, letter_task, site_link


# The destruction notice's address is destroyed before it goes (issue 10 turns it into an id).
@letter_task(addresses_allowed=["to"])
def subject_request_letter_send(*, event_id: int, to: str = "") -> None:
    """Tell the subject their request was received or what has just happened to it.

    `to` is given only when the subject's address is destroyed by the time the letter goes out
    (the destruction notice); otherwise the letter goes to the account's address, and not at all
    once the subject's data has been destroyed.
    """
    event = (
        SubjectRequestEvent.objects.select_related("request__subject").filter(pk=event_id).first()
    )
    if event is None:
        return
    request = event.request
    subject = request.subject
    if not to and request.subject.subject_requests.filter(destroyed_at__isnull=False).exists():
        return
    letter_send(
        to=to or subject.email,
        subject=f"Обращение № {request.number}: {event.title}",
        template="emails/consents/request_event",
        name="" if to else greeting_name(subject),
        request=request,
        event=event,
        link=site_link("consents:request_detail", request.pk),
    )
