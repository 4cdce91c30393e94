"""Letters of the staff desk, sent in the background by `django.tasks` after commit."""

from django.utils import timezone

from accounts.models import User
from consents.models import SubjectRequest
from lkk.letters import WhenBlocked, greeting_name, letter_send, letter_task, site_link
from workcalendar.terms import moscow_date


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
            "link": site_link("admin:consents_subjectrequest_change", request.pk),
        }
        for request in requests
    ]
    overdue = sum(1 for request in requests if request.due_on < today)
    letter_send(
        to=recipient,
        subject=f"Сроки обращений по ПДн: просрочено {overdue}, истекает {len(rows) - overdue}",
        template="emails/staff/due_requests",
        name=greeting_name(recipient),
        rows=rows,
        overdue=overdue,
        soon=len(rows) - overdue,
        today=today,
        desk_link=site_link("admin:staff_requestsdashboard_changelist"),
    )
