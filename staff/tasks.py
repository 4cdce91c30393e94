"""Letters of the staff desk, sent in the background by `django.tasks` after commit."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.tasks import TaskContext, task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from accounts.tasks import _greeting_name, _retry_later
from consents.models import SubjectRequest
from workcalendar.terms import moscow_date


@task(takes_context=True)
def due_requests_letter_send(
    context: TaskContext, *, recipient_id: int, request_ids: list[int], attempt: int = 1
) -> None:
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
            "link": settings.SITE_URL
            + reverse("admin:consents_subjectrequest_change", args=[request.pk]),
        }
        for request in requests
    ]
    overdue = sum(row["overdue"] for row in rows)
    data = {
        "site_url": settings.SITE_URL,
        "operator": settings.OPERATOR,
        "name": _greeting_name(recipient),
        "rows": rows,
        "overdue": overdue,
        "soon": len(rows) - overdue,
        "today": today,
        "desk_link": settings.SITE_URL + reverse("admin:staff_requestsdashboard_changelist"),
    }
    with translation.override(settings.LANGUAGE_CODE):
        letter = EmailMultiAlternatives(
            subject=f"Сроки обращений по ПДн: просрочено {overdue}, истекает {len(rows) - overdue}"
            f" — {settings.OPERATOR['short_name']}",
            body=render_to_string("emails/staff/due_requests.txt", data),
            to=[recipient.email],
        )
        letter.attach_alternative(
            render_to_string("emails/staff/due_requests.html", data), "text/html"
        )
    try:
        letter.send()
    except OSError:  # smtplib.SMTPException and connection errors are OSErrors
        _retry_later(context)
        raise
