"""The answer letter, sent in the background by `django.tasks` once the answer is committed.

It takes the message's id, not an address: the task table then holds no personal data, and the
letter goes to the account's address as it is when it is sent. A refused letter is retried the
way the accounts app's letters are.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.tasks import TaskContext, task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.tasks import _greeting_name, _retry_later
from feedback.models import FeedbackMessage


@task(takes_context=True)
def feedback_answer_letter_send(context: TaskContext, *, message_id: int, attempt: int = 1) -> None:
    """The staff's answer, to the consumer's account address or the guest's address."""
    message = (
        FeedbackMessage.objects.select_related("user")
        .filter(pk=message_id, status=FeedbackMessage.Status.ANSWERED)
        .first()
    )
    if message is None or not message.reply_email:
        return
    data = {
        "message": message,
        "name": _greeting_name(message.user) if message.user_id else message.guest_name,
        # Only an account holder has a page with the message (and its rating form).
        "link": settings.SITE_URL + reverse("feedback:detail", args=[message.pk])
        if message.user_id
        else "",
        "site_url": settings.SITE_URL,
        "operator": settings.OPERATOR,
    }
    with translation.override(settings.LANGUAGE_CODE):
        letter = EmailMultiAlternatives(
            subject=f"Ответ на обращение № {message.number} — {settings.OPERATOR['short_name']}",
            body=render_to_string("emails/feedback/answer.txt", data),
            to=[message.reply_email],
        )
        letter.attach_alternative(
            render_to_string("emails/feedback/answer.html", data), "text/html"
        )
    try:
        letter.send()
    except OSError:  # smtplib.SMTPException and connection errors are OSErrors
        _retry_later(context)
        raise
