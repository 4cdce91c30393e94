"""The authentication backend (`AUTHENTICATION_BACKENDS`): Django's `ModelBackend`, the signed-in
person read on each request with SQL composed once (`lkk.db.RowReader`) instead of by the ORM."""

from django.contrib.auth import backends

from accounts.models import User
from lkk.db import RowReader

_by_id = RowReader(User, where='"id" = %s')


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id: int) -> User | None:
        user = _by_id.read(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
