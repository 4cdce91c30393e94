"""Letters about PD subject requests, sent in the background by `django.tasks` after commit.

Service notifications the law requires (152-FZ art. 20, 21): they need no mailing consent and
go to blocked subjects too. The task takes the history entry's id and builds the letter from the
request as it is when the letter goes out. And the staff's daily reminder of due requests.
"""

from django.utils import timezone

from accounts.models import User
from lkk.letters import WhenBlocked, greeting_name, letter_send, letter_task, site_link
from pdrequests.models import DestructionNotice, SubjectRequest, SubjectRequestEvent
from workcalendar.terms import moscow_date


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
    if subject is None:
        return  # a person without an account: staff write to them
    if not to and subject.subject_requests.filter(destroyed_at__isnull=False).exists():
        return
    letter_send(
        to=to or subject,
        subject=f"Обращение № {request.number}: {event.title}",
        template="emails/pdrequests/request_event",
        name="" if to else greeting_name(subject),
        request=request,
        event=event,
        link=site_link("pdrequests:request_detail", request.pk),
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
        template="emails/pdrequests/authority_event",
        html=False,
        request=request,
        event=event,
    )


@letter_task(when_blocked=WhenBlocked.DROP)  # repeated daily while due
def due_requests_letter_send(*, recipient_id: int, request_ids: list[int]) -> None:
    """One letter to one member of staff: the requests due soon or overdue.

    Built when it goes out: a request closed meanwhile is left out, and no letter goes if
    none is left. Numbers and links only: the letter names no subject (mailboxes are
    forwarded; the admin checks rights).
    """
    recipient = User.objects.filter(pk=recipient_id, is_active=True, is_staff=True).first()
    if recipient is None:
        return
    requests = list(
        SubjectRequest.objects.open()
        .filter(pk__in=request_ids)
        .select_related("assignee")
        .order_by("due_on", "received_at")
    )
    if not requests:
        return
    today = moscow_date(timezone.now())
    rows = [
        {
            "request": request,
            "overdue": request.due_on < today,
            "mine": request.assignee_id == recipient.pk,
            "link": site_link("admin:pdrequests_subjectrequest_change", request.pk),
        }
        for request in requests
    ]
    overdue = sum(1 for request in requests if request.due_on < today)
    letter_send(
        to=recipient,
        subject=f"Сроки обращений по ПДн: просрочено {overdue}, истекает {len(rows) - overdue}",
        template="emails/pdrequests/due_requests",
        name=greeting_name(recipient),
        rows=rows,
        overdue=overdue,
        soon=len(rows) - overdue,
        today=today,
        desk_link=site_link("admin:pdrequests_requestsdashboard_changelist"),
    )
