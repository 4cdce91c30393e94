"""Signed links for letters: the signature and its timestamp are the whole state, no token table.

A link names the account by id and carries a keyed digest of the account's address rather than
the address itself (URLs end up in logs); once that address changes, every older link stops
working. Only the email-change link carries an address in the clear — the new one, which has
nowhere else to be kept.
"""

from datetime import timedelta

from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

from accounts.models import User

LINK_MAX_AGE = timedelta(days=3)

_VERIFICATION_SALT = "accounts.email-verification"
_EMAIL_CHANGE_SALT = "accounts.email-change"


class LinkError(Exception):
    """A link from a letter that cannot be used. `expired` tells an old link from a broken one,
    so the page can say which."""

    def __init__(self, *, expired: bool) -> None:
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def _address_digest(email: str) -> str:
    return salted_hmac("accounts.link-address", email, algorithm="sha256").hexdigest()[:20]


def _read(token: str, *, salt: str) -> tuple[User, dict]:
    """The account the link was made for and the link's data, or LinkError."""
    try:
        data = signing.loads(token, salt=salt, max_age=LINK_MAX_AGE)
    except signing.SignatureExpired:
        raise LinkError(expired=True) from None
    except signing.BadSignature:
        raise LinkError(expired=False) from None
    user = User.objects.filter(pk=data["user"]).first()
    if user is None or not constant_time_compare(data["address"], _address_digest(user.email)):
        raise LinkError(expired=False)
    return user, data


def verification_token_make(*, user: User) -> str:
    return signing.dumps(
        {"user": user.pk, "address": _address_digest(user.email)}, salt=_VERIFICATION_SALT
    )


def verification_token_read(token: str) -> User:
    user, _data = _read(token, salt=_VERIFICATION_SALT)
    return user


def email_change_token_make(*, user: User, new_email: str) -> str:
    return signing.dumps(
        {"user": user.pk, "address": _address_digest(user.email), "new_email": new_email},
        salt=_EMAIL_CHANGE_SALT,
    )


def email_change_token_read(token: str) -> tuple[User, str]:
    """The account and the new address it asked for."""
    user, data = _read(token, salt=_EMAIL_CHANGE_SALT)
    return user, data["new_email"]
