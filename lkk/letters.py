"""Letters to people: the link, the rendering, the greeting and the retry policy, in one place.

It lives in the project package because every app that writes to people (accounts, consents,
feedback, staff, billing, incidents, mailings) needs the same few pieces, and no app should
import another app's private helpers to get them. `lkk.bulk_mail` sends the letters of this
module to many people at once.

A letter is sent from a `django.tasks` task declared with `@letter_task`, the one pipeline
every letter goes through:

- the task takes ids, not addresses: the task table then holds no personal data, and the letter
  is built from the data as it is when it goes out. An argument that looks like an address is
  refused when the task is queued (an error in development and tests, a logged error in
  production, where losing a legally required letter would be worse);
- a letter the mail server refused (`OSError`), or a batch with letters left unsent
  (`LettersNotSent`), is queued again later with a growing delay (`RETRY_DELAYS`) where the task
  backend can defer (the database backend in production); the failure is re-raised either way
  so that it is recorded with the task.
"""

import functools
import inspect
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.tasks import Task, TaskContext, TaskResult
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from lkk import metrics
from lkk.validators import one_line

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


class Addressee(Protocol):
    """Whom a letter greets: the user model as a letter reads it."""

    first_name: str
    patronymic: str


def greeting_name(user: Addressee) -> str:
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


class LettersNotSent(Exception):
    """Raised by a batch letter task whose letters the mail server refused, so that the task is
    retried like a single letter; the letters stay unsent until a later run sends them."""


class AddressInTaskArguments(ValueError):
    """A letter task was queued with an email address among its arguments."""


# Anything with an "@" is taken for an address: task arguments are ids, numbers and flags.
_ADDRESS = re.compile(r"@")


def _holds_address(value: Any) -> bool:
    if isinstance(value, str):
        return bool(_ADDRESS.search(value))
    if isinstance(value, dict):
        return any(_holds_address(item) for item in value.values())
    if isinstance(value, list | tuple | set):
        return any(_holds_address(item) for item in value)
    return False


@dataclass(frozen=True, slots=True, kw_only=True)
class LetterTask(Task):
    """A `django.tasks` task that refuses addresses among its arguments when it is queued.

    `addresses_allowed` names the keyword arguments that still carry an address (to be turned
    into ids; see issue 10) and must shrink to nothing.
    """

    addresses_allowed: tuple[str, ...] = ()

    def enqueue(self, *args: Any, **kwargs: Any) -> TaskResult:
        checked = [*args, *(v for k, v in kwargs.items() if k not in self.addresses_allowed)]
        if _holds_address(checked):
            message = f"Letter task {self.name} was given an email address: pass ids instead."
            if settings.LETTER_TASKS_REFUSE_ADDRESSES:
                raise AddressInTaskArguments(message)
            logger.error(message)  # the value itself is never logged
        return Task.enqueue(self, *args, **kwargs)  # slots dataclass: no zero-argument super()


def letter_task(
    function: Callable[..., None] | None = None, *, addresses_allowed: Iterable[str] = ()
) -> Any:
    """Declare a letter task: `@letter_task` over a function of keyword arguments (ids) that
    builds and sends its letter(s) with `letter_send` or `lkk.bulk_mail.send_once`.

    The decorator owns what every letter needs: the check on the arguments and the retries
    with backoff. The retry number travels in the queued task's `attempt` keyword, which the
    function never sees.
    """
    allowed = tuple(addresses_allowed)

    def decorate(func: Callable[..., None]) -> LetterTask:
        unknown = set(allowed) - set(inspect.signature(func).parameters)
        if unknown:  # an argument turned into an id leaves the list with it
            raise TypeError(f"{func.__name__} has no arguments {sorted(unknown)}")

        @functools.wraps(func)
        def run(
            context: TaskContext | None = None, *args: Any, attempt: int = 1, **kwargs: Any
        ) -> None:
            # `context` is None when the task is run directly (`task.call(...)`): no retries.
            try:
                func(*args, **kwargs)
            except (OSError, LettersNotSent):  # SMTPException and connection errors are OSErrors
                if context is not None:
                    _retry_later(context, attempt=attempt)
                raise

        # django.tasks reads the signature (it must start with `context`); `__wrapped__` would
        # make it read the wrapped function's instead.
        del run.__wrapped__
        run.letter_function = func  # type: ignore[attr-defined]  # what the task is given
        return LetterTask(func=run, takes_context=True, addresses_allowed=allowed)

    if function is not None:
        return decorate(function)
    return decorate


def letter_send(
    *,
    to: str,
    subject: str,
    template: str,
    html: bool = True,
    **data: Any,
) -> None:
    """Render the letter and send it. Called from a `@letter_task`, which retries it if the
    mail server refuses it."""
    letter = letter_render(to=to, subject=subject, template=template, html=html, **data)
    try:
        letter.send()
    except OSError:
        metrics.LETTERS.labels(outcome="failed").inc()
        raise
    metrics.LETTERS.labels(outcome="sent").inc()


def _retry_later(context: TaskContext, *, attempt: int) -> None:
    result = context.task_result
    backend = result.task.get_backend()
    if attempt > len(RETRY_DELAYS) or not backend.supports_defer:
        logger.error("Letter task %s failed for good after %d attempt(s)", result.id, attempt)
        return
    delay = RETRY_DELAYS[attempt - 1]
    result.task.using(run_after=timezone.now() + delay).enqueue(
        *result.args, **{**result.kwargs, "attempt": attempt + 1}
    )
    logger.warning("Letter task %s failed; retrying in %s", result.id, delay)
