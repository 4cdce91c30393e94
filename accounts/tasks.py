"""Letters of the accounts app, sent in the background by `django.tasks`.

Tasks take ids, not addresses, where they can: the task table then holds no personal data, and a
letter is built from the account as it is when it goes out (a link signed then is valid for
three days from then). A letter the mail server refused is queued again later, where the task
backend can defer (the database backend in production); the failure is re-raised either way so
that it is recorded with the task.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.tasks import TaskContext, task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts import tokens
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


def _link(view_name: str, **kwargs) -> str:
    """An absolute link for a letter: letters are read outside the site, so SITE_URL leads."""
    return settings.SITE_URL + reverse(view_name, kwargs=kwargs)


def _send(context: TaskContext, *, to: str, subject: str, template: str, **data) -> None:
    """Render `emails/accounts/<template>.txt|.html` and send them as one letter."""
    data = {"site_url": settings.SITE_URL, "operator": settings.OPERATOR, **data}
    with translation.override(settings.LANGUAGE_CODE):
        letter = EmailMultiAlternatives(
            subject=f"{subject} — {settings.OPERATOR['short_name']}",
            body=render_to_string(f"emails/accounts/{template}.txt", data),
            to=[to],
        )
        letter.attach_alternative(
            render_to_string(f"emails/accounts/{template}.html", data), "text/html"
        )
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


def _greeting_name(user: User) -> str:
    return " ".join(part for part in (user.first_name, user.patronymic) if part)


@task(takes_context=True)
def verification_letter_send(context: TaskContext, *, user_id: int, attempt: int = 1) -> None:
    """The link that confirms the address and opens the account."""
    user = User.objects.filter(pk=user_id).first()
    if user is None or not user.awaiting_email_confirmation:
        return  # confirmed (or gone) since the letter was queued: nothing to confirm
    _send(
        context,
        to=user.email,
        subject="Подтвердите адрес электронной почты",
        template="verification",
        name=_greeting_name(user),
        link=_link("accounts:verify", token=tokens.verification_token_make(user=user)),
        valid_until=timezone.now() + tokens.LINK_MAX_AGE,
    )


@task(takes_context=True)
def already_registered_letter_send(context: TaskContext, *, user_id: int, attempt: int = 1) -> None:
    """Someone registered with an address that already has an account. Only its owner reads
    this; an account still waiting for confirmation gets a fresh link with it."""
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return
    awaiting = user.awaiting_email_confirmation
    _send(
        context,
        to=user.email,
        subject="У вас уже есть личный кабинет",
        template="already_registered",
        name=_greeting_name(user),
        awaiting_verification=awaiting,
        verification_link=(
            _link("accounts:verify", token=tokens.verification_token_make(user=user))
            if awaiting
            else ""
        ),
        valid_until=timezone.now() + tokens.LINK_MAX_AGE,
        login_link=_link("accounts:login"),
        password_reset_link=_link("accounts:password_reset"),
    )


@task(takes_context=True)
def password_reset_letter_send(context: TaskContext, *, user_id: int, attempt: int = 1) -> None:
    """Django's reset link (its token dies once the password changes or after the timeout)."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return
    _send(
        context,
        to=user.email,
        subject="Восстановление пароля",
        template="password_reset",
        name=_greeting_name(user),
        link=_link(
            "accounts:password_reset_confirm",
            uidb64=urlsafe_base64_encode(force_bytes(user.pk)),
            token=default_token_generator.make_token(user),
        ),
        valid_until=timezone.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT),
    )


@task(takes_context=True)
def email_change_letter_send(
    context: TaskContext, *, user_id: int, new_email: str, attempt: int = 1
) -> None:
    """To the new address: the link that makes it the account's address."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return
    _send(
        context,
        to=new_email,
        subject="Подтвердите новый адрес электронной почты",
        template="email_change",
        name=_greeting_name(user),
        new_email=new_email,
        link=_link(
            "accounts:email_change_confirm",
            token=tokens.email_change_token_make(user=user, new_email=new_email),
        ),
        valid_until=timezone.now() + tokens.LINK_MAX_AGE,
    )


@task(takes_context=True)
def email_changed_notice_send(
    context: TaskContext, *, user_id: int, old_email: str, attempt: int = 1
) -> None:
    """To the old address: if the owner did not do this, they learn of it at once."""
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return
    _send(
        context,
        to=old_email,
        subject="Адрес электронной почты изменён",
        template="email_changed",
        name=_greeting_name(user),
        new_email=user.email,
    )
