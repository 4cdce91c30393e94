import pgtrigger
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lkk.db import no_truncate


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


class RetentionRecord(models.Model):
    """What one run of `manage.py apply_retention` did to one category: the journal of
    destruction by expiry of the retention period (152-FZ art. 5 p. 7, art. 21 p. 4)."""

    ran_at = models.DateTimeField(_("дата и время"), default=timezone.now, editable=False)
    category = models.CharField(_("категория данных"), max_length=100)
    category_title = models.CharField(_("название категории"), max_length=255)
    retention = models.CharField(_("срок хранения"), max_length=255)
    action = models.CharField(_("что сделано"), max_length=255)
    count = models.PositiveIntegerField(_("записей"))

    class Meta:
        verbose_name = _("запись журнала сроков хранения")
        verbose_name_plural = _("журнал уничтожения ПДн по истечении сроков хранения")
        ordering = ["-ran_at", "-pk"]
        default_permissions = ("view",)
        indexes = [models.Index(fields=["-ran_at"], name="lkk_retention_ran_at")]

    def __str__(self) -> str:
        return f"{self.category}: {self.count}"


class HeldLetter(models.Model):
    """A letter that waits while its recipient's data is blocked (`lkk.letters`, WhenBlocked.HOLD):
    the task and its arguments (ids only), queued again once the blocking ends."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("получатель"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the unique constraint below starts with `recipient`
    )
    task = models.CharField(_("задача"), max_length=200)
    arguments = models.JSONField(_("аргументы"), default=dict)
    held_at = models.DateTimeField(_("задержано"), default=timezone.now)

    class Meta:
        verbose_name = _("письмо, задержанное на время блокирования")
        verbose_name_plural = _("письма, задержанные на время блокирования")
        default_permissions = ("view",)
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "task", "arguments"], name="lkk_letter_held_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.task} #{self.pk}"


class NotificationFiling(models.Model):
    """The notification to Roskomnadzor about the processing of personal data (152-FZ art. 22)
    was filed, or a change to it: when, and what it stated (`lkk.pd_notification`), so that the
    statements that have changed since can be shown. Never changes."""

    filed_on = models.DateField(_("дата подачи"))
    reference = models.CharField(
        _("регистрационный номер или номер письма"), max_length=100, blank=True
    )
    snapshot = models.JSONField(_("сведения, указанные в уведомлении"), editable=False)
    recorded_at = models.DateTimeField(_("записано"), default=timezone.now, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто записал"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("подача уведомления в Роскомнадзор")
        verbose_name_plural = _("уведомление в Роскомнадзор об обработке ПДн")
        ordering = ["-filed_on", "-pk"]
        default_permissions = ("view", "add")
        triggers = [
            pgtrigger.Protect(name="lkk_notification_filing_no_update", operation=pgtrigger.Update),
            pgtrigger.Protect(name="lkk_notification_filing_no_delete", operation=pgtrigger.Delete),
            no_truncate("lkk_notification_filing"),
        ]

    def __str__(self) -> str:
        return f"уведомление от {self.filed_on:%d.%m.%Y}"
