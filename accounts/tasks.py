"""Letters of the accounts app, sent in the background by `django.tasks` (see `lkk.letters`).

A letter is built from the account as it is when it goes out: a link signed then is valid for
three days from then.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts import tokens
from accounts.models import EmailChange, User
from lkk.letters import WhenBlocked, greeting_name, letter_send, letter_task, site_link


@letter_task(when_blocked=WhenBlocked.SEND)
def verification_letter_send(*, user_id: int) -> None:
    """The link that confirms the address and opens the account."""
    user = User.objects.filter(pk=user_id).first()
    if user is None or not user.awaiting_email_confirmation:
        return  # confirmed (or gone) since the letter was queued: nothing to confirm
    letter_send(
        to=user,
        subject="Подтвердите адрес электронной почты",
        template="emails/accounts/verification",
        # No name: whoever typed it has not proved the address is theirs.
        link=site_link("accounts:verify", token=tokens.verification_token_make(user=user)),
        valid_until=timezone.now() + tokens.LINK_MAX_AGE,
    )


@letter_task(when_blocked=WhenBlocked.SEND)
def already_registered_letter_send(*, user_id: int) -> None:
    """Someone registered with an address that already has an account. Only its owner reads
    this."""
    user = User.objects.filter(pk=user_id, awaiting_email_confirmation=False).first()
    if user is None:
        return
    letter_send(
        to=user,
        subject="У вас уже есть личный кабинет",
        template="emails/accounts/already_registered",
        name=greeting_name(user),
        login_link=site_link("accounts:login"),
        password_reset_link=site_link("accounts:password_reset"),
    )


@letter_task(when_blocked=WhenBlocked.SEND)
def registration_unfinished_letter_send(*, user_id: int) -> None:
    """A password was asked for an address whose registration is not confirmed. The letter
    names nobody: whoever registered may not be the owner of the address who reads it."""
    user = User.objects.filter(pk=user_id, awaiting_email_confirmation=True).first()
    if user is None:
        return
    letter_send(
        to=user,
        subject="Регистрация не завершена",
        template="emails/accounts/registration_unfinished",
        verification_link=site_link(
            "accounts:verify", token=tokens.verification_token_make(user=user)
        ),
        valid_until=timezone.now() + tokens.LINK_MAX_AGE,
        register_link=site_link("accounts:register"),
    )


@letter_task(when_blocked=WhenBlocked.SEND)
def password_reset_letter_send(*, user_id: int) -> None:
    """Django's reset link (its token dies once the password changes or after the timeout)."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return
    letter_send(
        to=user,
        subject="Восстановление пароля",
        template="emails/accounts/password_reset",
        name=greeting_name(user),
        link=site_link(
            "accounts:password_reset_confirm",
            uidb64=urlsafe_base64_encode(force_bytes(user.pk)),
            token=default_token_generator.make_token(user),
        ),
        valid_until=timezone.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT),
    )


@letter_task(when_blocked=WhenBlocked.SEND)
def email_change_letter_send(*, change_id: int) -> None:
    """To the new address: the link that makes it the account's address."""
    change = EmailChange.objects.filter(pk=change_id, user__is_active=True).first()
    if change is None:
        return
    user, new_email = change.user, change.new_email
    letter_send(
        to=new_email,
        subject="Подтвердите новый адрес электронной почты",
        template="emails/accounts/email_change",
        name=greeting_name(user),
        new_email=new_email,
        link=site_link(
            "accounts:email_change_confirm",
            token=tokens.email_change_token_make(user=user, new_email=new_email),
        ),
        valid_until=timezone.now() + tokens.LINK_MAX_AGE,
    )


@letter_task(when_blocked=WhenBlocked.SEND)
def email_changed_notice_send(*, change_id: int) -> None:
    """To the old address: if the owner did not do this, they learn of it at once."""
    change = EmailChange.objects.filter(pk=change_id).select_related("user").first()
    if change is None:
        return
    user, old_email = change.user, change.old_email
    letter_send(
        to=old_email,
        subject="Адрес электронной почты изменён",
        template="emails/accounts/email_changed",
        name=greeting_name(user),
        new_email=user.email,
    )
