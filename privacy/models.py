from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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

    label = models.CharField(_("номер редакции"), max_length=20, unique=True)
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

    def __str__(self) -> str:
        return f"{self.label} — {self.title}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED
