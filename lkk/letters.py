"""Letters to people: the link, the rendering, the greeting and the retry policy, in one place.

It lives in the project package because every app that writes to people (accounts, consents,
feedback, staff, billing, incidents, mailings) needs the same few pieces, and no app should
import another app's private helpers to get them. `lkk.bulk_mail` sends the letters of this
module to many people at once.

A letter is sent from a `django.tasks` task after commit. The task takes ids, not addresses,
where it can: the task table then holds no personal data, and the letter is built from the data
as it is when it goes out. A letter the mail server refused is queued again later where the task
backend can defer (the database backend in production); the failure is re-raised either way so
that it is recorded with the task.
"""

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.tasks import TaskContext
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from lkk.validators import one_line

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

# After the first failure: in a minute, ten minutes, an hour, six hours; then it is given up
# (the consumer can still ask for the letter again).
RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=10),
    timedelta(hours=1),
    timedelta(hours=6),
)


def site_link(view_name: str, *args, **kwargs) -> str:
    """An absolute link for a letter: letters are read outside the site, so SITE_URL leads."""
    return settings.SITE_URL + reverse(view_name, args=args or None, kwargs=kwargs or None)


def greeting_name(user: "User") -> str:
    """«Алиса Петровна»: how a letter addresses a person (Russian letters skip the surname).
    Always one line, whatever was stored."""
    return one_line(" ".join(part for part in (user.first_name, user.patronymic) if part))


def letter_render(
    *,
    to: str,
    subject: str,
    template: str,
    headers: dict[str, str] | None = None,
    html: bool = True,
    **data,
) -> EmailMultiAlternatives:
    """`<template>.txt` (and `<template>.html` unless `html` is false) as one letter, in the
    site's language, with the site's address and the operator in the context."""
    data = {"site_url": settings.SITE_URL, "operator": settings.OPERATOR, **data}
    with translation.override(settings.LANGUAGE_CODE):
        letter = EmailMultiAlternatives(
            subject=f"{subject} — {settings.OPERATOR['short_name']}",
            body=render_to_string(f"{template}.txt", data),
            to=[to],
            headers=headers,
        )
        if html:
            letter.attach_alternative(render_to_string(f"{template}.html", data), "text/html")
    return letter


def letter_send(
    context: TaskContext, *, to: str, subject: str, template: str, html: bool = True, **data
) -> None:
    """Render the letter and send it from the task `context`; if the mail server refuses it,
    queue the task again with the next attempt number (see RETRY_DELAYS) and re-raise.

    The task must take `attempt: int = 1` among its keyword arguments."""
    letter = letter_render(to=to, subject=subject, template=template, html=html, **data)
    try:
        letter.send()
    except OSError:  # smtplib.SMTPException and connection errors are OSErrors
        _retry_later(context)
        raise


def _retry_later(context: TaskContext) -> None:
    result = context.task_result
    attempt = result.kwargs.get("attempt", 1)
    backend = result.task.get_backend()
    if attempt > len(RETRY_DELAYS) or not backend.supports_defer:
        logger.error("Letter task %s failed for good after %d attempt(s)", result.id, attempt)
        return
    delay = RETRY_DELAYS[attempt - 1]
    result.task.using(run_after=timezone.now() + delay).enqueue(
        *result.args, **{**result.kwargs, "attempt": attempt + 1}
    )
    logger.warning("Letter task %s failed; retrying in %s", result.id, delay)
