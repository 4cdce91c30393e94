"""The answer letter, sent in the background by `django.tasks` once the answer is committed.

It takes the message's id, not an address: the task table then holds no personal data, and the
letter goes to the account's address as it is when it is sent. A refused letter is retried (see
`lkk.letters`).
"""

from feedback.models import FeedbackMessage
from lkk.letters import WhenBlocked, greeting_name, letter_send, letter_task, site_link
from lkk.validators import one_line


@letter_task(when_blocked=WhenBlocked.HOLD)
def feedback_answer_letter_send(*, message_id: int) -> None:
    """The staff's answer, to the consumer's account address or the guest's address.

    Held while the consumer's data is blocked (`WhenBlocked.HOLD`): the answer is owed to them
    and is on their page at once, but writing to their address is processing the blocking
    stops; the letter goes when the blocking ends."""
    message = (
        FeedbackMessage.objects.select_related("user")
        .filter(pk=message_id, status=FeedbackMessage.Status.ANSWERED)
        .first()
    )
    if message is None or not message.reply_email:
        return
    letter_send(
        to=message.user or message.reply_email,  # a guest has no account
        subject=f"Ответ на обращение № {message.number}",
        template="emails/feedback/answer",
        message=message,
        name=(
            greeting_name(message.user)
            if message.user is not None
            else one_line(message.guest_name)
        ),
        # Only an account holder has a page with the message (and its rating form).
        link=site_link("feedback:detail", message.pk) if message.user_id else "",
    )
