from django.db import models
from django.utils.translation import gettext_lazy as _


class RateEvent(models.Model):
    """One counted action that leaves no row of its own (a letter sent, say), for `lkk.limits`.

    Rows live only as long as their window: each new one deletes some that have expired."""

    key = models.CharField(_("ключ"), max_length=200)
    at = models.DateTimeField(_("когда"))
    expires_at = models.DateTimeField(_("хранится до"), db_index=True)

    class Meta:
        verbose_name = _("учтённое действие")
        verbose_name_plural = _("учтённые действия")
        indexes = [models.Index(fields=["key", "-at"], name="lkk_rateevent_key_at")]

    def __str__(self) -> str:
        return f"{self.key} @ {self.at:%Y-%m-%d %H:%M:%S}"
