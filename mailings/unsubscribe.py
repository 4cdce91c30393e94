"""The one-click unsubscribe link of a mailing letter (RFC 8058).

The link carries the account id signed with the site's key: no login and no token table. It
never expires, since people unsubscribe from letters months old; all it can do is withdraw the
mailings consent, which is also what the person asked for.
"""

from django.core import signing

from accounts.models import User
from lkk.letters import site_link

_signer = signing.Signer(salt="mailings.unsubscribe")


def unsubscribe_token_make(*, user: User) -> str:
    return _signer.sign(str(user.pk))


def unsubscribe_token_read(token: str) -> User | None:
    """The account the link was made for; None for a damaged, forged or orphaned link."""
    try:
        user_id = _signer.unsign(token)
    except signing.BadSignature:
        return None
    return User.objects.filter(pk=int(user_id)).first()


def unsubscribe_url(*, user: User) -> str:
    """Absolute, since letters are read outside the site (https in production)."""
    return site_link("mailings:unsubscribe", unsubscribe_token_make(user=user))
