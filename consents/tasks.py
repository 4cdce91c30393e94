"""Letters about PD subject requests, sent in the background by `django.tasks` after commit.

Service notifications the law requires (152-FZ art. 20, 21): they need no mailing consent and
go to blocked subjects too. The task takes the history entry's id and builds the letter from the
request as it is when the letter goes out.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.tasks import TaskContext, task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.tasks import _greeting_name, _retry_later
from consents.models import SubjectRequestEvent


@task(takes_context=True)
def subject_request_letter_send(
    context: TaskContext, *, event_id: int, to: str = "", attempt: int = 1
) -> None:
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
    data = {
        "site_url": settings.SITE_URL,
        "operator": settings.OPERATOR,
        "name": "" if to else _greeting_name(subject),
        "request": request,
        "event": event,
        "link": settings.SITE_URL + reverse("consents:request_detail", args=[request.pk]),
    }
    with translation.override(settings.LANGUAGE_CODE):
        letter = EmailMultiAlternatives(
            subject=f"Обращение № {request.number}: {event.title} — "
            f"{settings.OPERATOR['short_name']}",
            body=render_to_string("emails/consents/request_event.txt", data),
            to=[to or subject.email],
        )
        letter.attach_alternative(
            render_to_string("emails/consents/request_event.html", data), "text/html"
        )
    try:
        letter.send()
    except OSError:  # smtplib.SMTPException and connection errors are OSErrors
        _retry_later(context)
        raise
