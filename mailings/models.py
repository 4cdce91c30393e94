"""News and offers (policy, section 4): sent only to those whose mailings consent is in force.

Service letters (request status, security, incident notices) are not mailings and live with the
apps that send them: they need no marketing consent.
"""

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.html import linebreaks
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from lkk.personal_data import subject_reference
from privacy.markdown import render_policy


class MailingQuerySet(models.QuerySet["Mailing"]):
    def with_progress(self) -> "MailingQuerySet":
        """Adds `sent_count`: letters that went out."""
        return self.annotate(
            sent_count=Count("deliveries", filter=Q(deliveries__sent_at__isnull=False))
        )


class Mailing(models.Model):
    """One letter written by staff for every consenting consumer."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("черновик")
        SENDING = "sending", _("отправляется")
        SENT = "sent", _("отправлена")

    class Format(models.TextChoices):
        PLAIN = "plain", _("обычный текст")
        MARKDOWN = "markdown", _("Markdown (заголовки, списки, ссылки)")

    subject = models.CharField(_("тема письма"), max_length=200)
    body = models.TextField(_("текст письма"))
    body_format = models.CharField(
        _("разметка текста"), max_length=10, choices=Format.choices, default=Format.PLAIN
    )
    status = models.CharField(
        _("состояние"), max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    created_at = models.DateTimeField(_("создана"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("автор"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        editable=False,
    )
    send_started_at = models.DateTimeField(_("отправка начата"), null=True, editable=False)
    send_started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("отправил"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        editable=False,
    )
    sent_at = models.DateTimeField(_("отправка закончена"), null=True, editable=False)
    recipients_total = models.PositiveIntegerField(_("получателей"), default=0, editable=False)
    # Batch tasks still queued or running; the last one to finish marks the mailing sent.
    batches_pending = models.PositiveIntegerField(default=0, editable=False)

    objects = MailingQuerySet.as_manager()

    class Meta:
        verbose_name = _("рассылка")
        verbose_name_plural = _("рассылки")
        ordering = ["-created_at", "-pk"]
        permissions = [("send_mailing", _("Может отправлять рассылки"))]

    def __str__(self) -> str:
        return self.subject

    def body_html(self) -> SafeString:
        """The text as HTML: Markdown through the policy pages' sanitizer, plain text escaped."""
        if self.body_format == self.Format.MARKDOWN:
            return render_policy(self.body).html
        return mark_safe(linebreaks(self.body, autoescape=True))  # noqa: S308 — escaped by linebreaks


class MailingDelivery(models.Model):
    """One recipient of one mailing: never two letters for the same pair."""

    mailing = models.ForeignKey(
        Mailing,
        verbose_name=_("рассылка"),
        on_delete=models.CASCADE,
        related_name="deliveries",
        db_index=False,  # the unique constraint below starts with `mailing`
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("получатель"),
        on_delete=models.CASCADE,
        related_name="mailing_deliveries",
    )
    created_at = models.DateTimeField(_("включён в рассылку"), default=timezone.now)
    sent_at = models.DateTimeField(_("письмо отправлено"), null=True, blank=True)

    class Meta:
        verbose_name = _("письмо рассылки")
        verbose_name_plural = _("письма рассылок")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["mailing", "user"], name="mailings_delivered_once"),
        ]

    def __str__(self) -> str:
        return f"{self.mailing} — {subject_reference(self.user_id)}"
