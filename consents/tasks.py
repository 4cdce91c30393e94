"""Letters about PD subject requests, sent in the background by `django.tasks` after commit.

Service notifications the law requires (152-FZ art. 20, 21): they need no mailing consent and
go to blocked subjects too. The task takes the history entry's id and builds the letter from the
request as it is when the letter goes out.
"""

from consents.models import DestructionNotice, SubjectRequestEvent
from lkk.letters import WhenBlocked, greeting_name, letter_send, letter_task, site_link


@letter_task(when_blocked=WhenBlocked.SEND)  # art. 20, 21: what became of the request
def subject_request_letter_send(*, event_id: int) -> None:
    """Tell the subject their request was received or what has just happened to it.

    The destruction notice goes to the address kept for it in a `DestructionNotice`, deleted
    once sent; every other letter goes to the account's address, and none at all once the
    subject's data has been destroyed.
    """
    event = (
        SubjectRequestEvent.objects.select_related("request__subject").filter(pk=event_id).first()
    )
    if event is None:
        return
    notice = DestructionNotice.objects.filter(event=event).first()
    to = notice.email if notice else ""
    request = event.request
    subject = request.subject
    if not to and request.subject.subject_requests.filter(destroyed_at__isnull=False).exists():
        return
    letter_send(
        to=to or subject,
        subject=f"Обращение № {request.number}: {event.title}",
        template="emails/consents/request_event",
        name="" if to else greeting_name(subject),
        request=request,
        event=event,
        link=site_link("consents:request_detail", request.pk),
    )
    if notice is not None:
        notice.delete()  # sent: the destroyed address is kept nowhere any more


@letter_task(when_blocked=WhenBlocked.SEND)
def authority_letter_send(*, event_id: int) -> None:
    """Tell Roskomnadzor what happened to the request it filed (receipt, extension, answer,
    correction, destruction): to the address its letter gave, quoting that letter."""
    event = SubjectRequestEvent.objects.select_related("request").filter(pk=event_id).first()
    if event is None or not event.request.authority_email:
        return
    request = event.request
    letter_send(
        to=request.authority_email,
        subject=f"Ответ на запрос № {request.authority_letter_number}: {event.title}",
        template="emails/consents/authority_event",
        html=False,
        request=request,
        event=event,
    )
