"""The sessions engine (`SESSION_ENGINE`): Django's database sessions, each request's session read
with SQL composed once (`lkk.db.RowReader`) instead of by the ORM."""

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from lkk.db import RowReader

_unexpired = RowReader(Session, where='"session_key" = %s AND "expire_date" > %s')


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Session | None:
        if self.session_key is None:
            return None
        session = _unexpired.read(self.session_key, timezone.now())
        if session is None:
            self._session_key = None  # as Django's: the cookie names no session (any more)
        return session
