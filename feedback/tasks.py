"""The answer letter, sent in the background by `django.tasks` once the answer is committed.

It takes the message's id, not an address: the task table then holds no personal data, and the
letter goes to the account's address as it is when it is sent. A refused letter is retried (see
`lkk.letters`).
"""

from django.tasks import TaskContext, task

from feedback.models import FeedbackMessage
from lkk.letters import greeting_name, letter_send, site_link
from lkk.validators import one_line


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
    letter_send(
        context,
        to=message.reply_email,
        subject=f"Ответ на обращение № {message.number}",
        template="emails/feedback/answer",
        message=message,
        name=greeting_name(message.user) if message.user_id else one_line(message.guest_name),
        # Only an account holder has a page with the message (and its rating form).
        link=site_link("feedback:detail", message.pk) if message.user_id else "",
    )
