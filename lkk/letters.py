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
  so that it is recorded with the task;
- a letter to a person whose data is blocked goes only if the law requires it: each task
  declares `when_blocked` (`WhenBlocked`), and `letter_render`, given the person rather than an
  address, refuses the others. Held letters wait in `HeldLetter` and are queued again by
  `letters_release` when the blocking ends.
"""

import functools
import inspect
import logging
import re
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.tasks import Task, TaskContext, TaskResult
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.module_loading import import_string

from lkk import metrics
from lkk.models import HeldLetter
from lkk.personal_data import blocked_among
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
    """Whom a letter greets and goes to: the user model as a letter reads it."""

    pk: Any
    email: str
    first_name: str
    patronymic: str


def greeting_name(user: Addressee) -> str:
    """«Алиса Петровна»: how a letter addresses a person (Russian letters skip the surname).
    Always one line, whatever was stored."""
    return one_line(" ".join(part for part in (user.first_name, user.patronymic) if part))


class WhenBlocked(StrEnum):
    """What becomes of a letter to a person whose data is blocked. Blocking is a temporary stop
    of every processing of the data but storage (152-FZ art. 3 p. 6, art. 21); writing to the
    person's address is processing, so each letter task says which of these it is:

    - SEND: the law requires the letter, or the person has just asked for it to reach their own
      account: what happens to their PD requests (art. 20, 21), the sign-in and address letters
      they ask for themselves (without them they could not reach their requests).
    - HOLD: the letter is owed to the person and still worth having later — the answer to their
      message or request, the notice of an incident with their data. It is kept (ids only) and
      sent once the blocking ends; the page in the cabinet shows the same meanwhile. Sending it
      at once would process blocked data; never sending it would leave them unanswered.
    - DROP: the letter is useful only now — reminders, receipts, mailings — and is not sent,
      not later either: a stale reminder would mislead.
    """

    SEND = "send"
    HOLD = "hold"
    DROP = "drop"


class RecipientBlocked(Exception):
    """The letter's recipient has their data blocked and the letter is not one the law
    requires: raised by `letter_render`, handled by `@letter_task` as the task declares."""

    def __init__(self, recipient_id: int) -> None:
        super().__init__(recipient_id)
        self.recipient_id = recipient_id


# The running letter task's `when_blocked`: letter_render reads it (outside a task: not SEND).
_when_blocked: ContextVar[WhenBlocked | None] = ContextVar("when_blocked", default=None)


def letter_render(
    *,
    to: "Addressee | str",
    subject: str,
    template: str,
    headers: dict[str, str] | None = None,
    html: bool = True,
    **data,
) -> EmailMultiAlternatives:
    """`<template>.txt` (and `<template>.html` unless `html` is false) as one letter, in the
    site's language, with the site's address and the operator in the context.

    `to` is the person (their account) whenever the letter goes to one: their address is
    read then, and a person whose data is blocked gets only a letter the running task sends
    with `WhenBlocked.SEND` (`RecipientBlocked` otherwise). An address as such is for the
    addresses that are no account's: the authority's, a mailbox of the operator, a guest's, an
    address being confirmed, one kept for the destruction notice.
    """
    if not isinstance(to, str):
        if _when_blocked.get() != WhenBlocked.SEND and blocked_among([to.pk]):
            raise RecipientBlocked(to.pk)
        to = to.email
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
    into ids; see issue 10) and must shrink to nothing. `when_blocked` says what becomes of
    its letter to a person whose data is blocked.
    """

    when_blocked: WhenBlocked
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
    function: Callable[..., None] | None = None,
    *,
    when_blocked: WhenBlocked | None = None,
    addresses_allowed: Iterable[str] = (),
) -> Any:
    """Declare a letter task: `@letter_task(when_blocked=...)` over a function of keyword
    arguments (ids) that builds and sends its letter(s) with `letter_send` or
    `lkk.bulk_mail.send_once`.

    The decorator owns what every letter needs: the check on the arguments, the retries with
    backoff and what becomes of a letter to a person whose data is blocked (`when_blocked`,
    required: every letter says it). The retry number travels in the queued task's `attempt`
    keyword, which the function never sees.
    """
    if when_blocked is None:
        raise TypeError("A letter task must say what becomes of it while data is blocked.")
    policy = WhenBlocked(when_blocked)
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
            state = _when_blocked.set(policy)
            try:
                func(*args, **kwargs)
            except RecipientBlocked as blocked:
                if policy == WhenBlocked.HOLD:
                    _hold(task_path, recipient_id=blocked.recipient_id, arguments=kwargs)
                else:
                    logger.info("Letter task %s: not sent, the data is blocked", func.__name__)
            except (OSError, LettersNotSent):  # SMTPException and connection errors are OSErrors
                if context is not None:
                    _retry_later(context, attempt=attempt)
                raise
            finally:
                _when_blocked.reset(state)

        # django.tasks reads the signature (it must start with `context`); `__wrapped__` would
        # make it read the wrapped function's instead.
        del run.__wrapped__
        run.letter_function = func  # type: ignore[attr-defined]  # what the task is given
        task_path = f"{run.__module__}.{run.__qualname__}"  # as the task's module_path
        return LetterTask(
            func=run, takes_context=True, when_blocked=policy, addresses_allowed=allowed
        )

    if function is not None:
        return decorate(function)
    return decorate


def letter_send(
    *,
    to: "Addressee | str",
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


def letter_hold(task: LetterTask, *, recipient_id: int, **arguments: Any) -> None:
    """Keep `task(**arguments)` until the data of `recipient_id` is unblocked: for a batch task
    that leaves a blocked person out of its batch and owes them their letter."""
    _hold(task.module_path, recipient_id=recipient_id, arguments=arguments)


def _hold(task_path: str, *, recipient_id: int, arguments: dict[str, Any]) -> None:
    HeldLetter.objects.get_or_create(recipient_id=recipient_id, task=task_path, arguments=arguments)
    logger.info("Letter task %s held: the recipient's data is blocked", task_path)


@transaction.atomic
def letters_release(*, recipient_id: int) -> int:
    """Queue again the letters held for `recipient_id`, if no blocking holds their data any
    more (one request may end while another still blocks). Called when a blocking ends;
    returns how many were queued."""
    if blocked_among([recipient_id]):
        return 0
    held = list(
        HeldLetter.objects.select_for_update(skip_locked=True)
        .filter(recipient_id=recipient_id)
        .order_by("held_at", "pk")
    )
    HeldLetter.objects.filter(pk__in=[letter.pk for letter in held]).delete()
    for letter in held:
        transaction.on_commit(
            functools.partial(import_string(letter.task).enqueue, **letter.arguments)
        )
    return len(held)


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
