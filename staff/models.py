"""The journal of staff access to consumers' personal data (152-FZ art. 19: actions with
personal data are accounted for).

Append-only, enforced by database triggers: a journal that could be edited afterwards proves
nothing. It holds references, never the data itself: who, when, whose, what was done and where.
"""

import pgtrigger
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lkk.db import no_truncate
from lkk.personal_data import subject_reference


class PersonalDataAccess(models.Model):
    """One look at, change of, or export of a consumer's personal data by a member of staff."""

    class Action(models.TextChoices):
        VIEWED = "viewed", _("просмотр")
        CHANGED = "changed", _("изменение")
        EXPORTED = "exported", _("выгрузка")

    at = models.DateTimeField(_("дата и время"), default=timezone.now, editable=False)
    # The composite indexes below start with these columns: no index of their own.
    staff_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("сотрудник"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("субъект персональных данных"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    action = models.CharField(_("действие"), max_length=10, choices=Action.choices)
    page = models.CharField(_("страница"), max_length=500)
    object_label = models.CharField(_("объект"), max_length=255)
    # Field names only, never values: the journal must not become a copy of the data.
    changed_fields = models.JSONField(_("изменённые поля"), default=list, blank=True)

    class Meta:
        verbose_name = _("запись журнала доступа к ПДн")
        verbose_name_plural = _("записи журнала доступа к ПДн")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["staff_user", "-at"], name="staff_pd_access_staff_at"),
            models.Index(fields=["subject", "-at"], name="staff_pd_access_subject_at"),
            models.Index(fields=["-at"], name="staff_pd_access_at"),
        ]
        # Entries are only ever written by the code and read: no add, change or delete rights.
        default_permissions = ("view",)
        # The staff desk's own rights; they live here so that no other app's migration changes.
        permissions = [
            ("view_personal_data", _("Просмотр персональных данных потребителей")),
            ("export_request_journal", _("Выгрузка журнала обращений по ПДн")),
        ]
        triggers = [
            pgtrigger.Protect(name="staff_pd_access_no_update", operation=pgtrigger.Update),
            pgtrigger.Protect(name="staff_pd_access_no_delete", operation=pgtrigger.Delete),
            no_truncate("staff_pd_access"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {subject_reference(self.subject_id)}"
