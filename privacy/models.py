import hashlib
from datetime import date
from functools import cached_property

import pgtrigger
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from lkk.db import no_truncate
from privacy.markdown import RenderedPolicy, render_policy

# Bump when the renderer's output changes, so cached pages of published versions follow.
_RENDERING_REVISION = 1


class PolicyVersionQuerySet(models.QuerySet["PolicyVersion"]):
    def published(self) -> "PolicyVersionQuerySet":
        return self.filter(status=PolicyVersion.Status.PUBLISHED)

    def in_force(self) -> "PolicyVersionQuerySet":
        """Published versions whose effective date has come (Moscow date), newest first."""
        return (
            self.published()
            .filter(effective_date__lte=timezone.localdate())
            .order_by("-effective_date", "-published_at")
        )

    def current(self) -> "PolicyVersion | None":
        """The one version in force: the latest published one whose effective date has come."""
        return self.in_force().first()


class PolicyVersion(models.Model):
    """One version of the operator's privacy policy. Published versions never change."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("черновик")
        PUBLISHED = "published", _("опубликована")

    label = models.CharField(
        _("номер редакции"),
        max_length=20,
        unique=True,
        # The label is part of the version's permanent address.
        validators=[
            RegexValidator(
                r"^[0-9A-Za-z][0-9A-Za-z._-]*\Z",
                _("Номер редакции — цифры, латинские буквы, точка, дефис: например, 2.0."),
            )
        ],
        help_text=_("Например, 2.0. Становится частью постоянного адреса редакции."),
        error_messages={"unique": _("Редакция с таким номером уже есть.")},
    )
    title = models.CharField(_("заголовок"), max_length=255)
    body = models.TextField(_("текст (Markdown)"))
    effective_date = models.DateField(_("дата вступления в силу"))
    requires_renewed_consent = models.BooleanField(
        _("требует повторного согласия"),
        default=False,
        help_text=_("Пользователи должны ознакомиться с новой редакцией и принять её."),
    )
    status = models.CharField(
        _("статус"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("опубликована"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("опубликовал"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("создана"), auto_now_add=True)
    updated_at = models.DateTimeField(_("изменена"), auto_now=True)

    objects = PolicyVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("редакция политики")
        verbose_name_plural = _("редакции политики")
        ordering = ["-effective_date", "-published_at"]
        indexes = [models.Index(fields=["status", "effective_date"])]
        permissions = [("publish_policyversion", _("Может публиковать редакции политики"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(published_at__isnull=False),
                name="privacy_policyversion_published_has_date",
            )
        ]
        triggers = [
            # The database itself keeps a published text unchanged: whatever the path (admin,
            # shell, raw SQL), a published row can be neither updated nor deleted. The one
            # allowed transition, draft → published, starts from a draft row.
            pgtrigger.Protect(
                name="protect_published_policy",
                operation=pgtrigger.Update | pgtrigger.Delete,
                condition=pgtrigger.Q(old__status="published"),
            ),
            # TRUNCATE … CASCADE would also empty the acknowledgements pointing at the texts.
            no_truncate("policy_version"),
        ]

    def __str__(self) -> str:
        return f"{self.label} — {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("privacy:version", kwargs={"label": self.label})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_future(self) -> bool:
        """Published or not, its effective date (Moscow) has not come yet."""
        return self.effective_date > timezone.localdate()

    @cached_property
    def rendered(self) -> RenderedPolicy:
        """The body as sanitized HTML with its table of contents.

        A published body never changes, so its rendering is cached, keyed by the text itself.
        """
        if not self.is_published:
            return render_policy(self.body)
        digest = hashlib.sha256(self.body.encode()).hexdigest()
        return cache.get_or_set(
            f"privacy:policy:{_RENDERING_REVISION}:{digest}", lambda: render_policy(self.body)
        )

    @staticmethod
    def validate_publication_date(effective_date: date) -> None:
        """A version takes effect on the day it is published or later, never retroactively."""
        today = timezone.localdate()
        if effective_date < today:
            raise ValidationError(
                _(
                    "Дата вступления в силу уже прошла: опубликовать редакцию задним числом "
                    "нельзя. Укажите %(today)s или более позднюю дату."
                ),
                code="retroactive",
                params={"today": date_format(today, "d.m.Y")},
            )
