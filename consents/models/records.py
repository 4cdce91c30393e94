"""Consent records: the operator's legal evidence of each consent (152-FZ art. 9, 38-FZ art. 18).

Texts and records are append-only, enforced by database triggers: evidence that could be edited
afterwards proves nothing. A person's current state per purpose is the latest record.
"""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lkk.db import append_only
from lkk.personal_data import subject_reference
from lkk.request_info import USER_AGENT_MAX_LENGTH


class ConsentPurposeQuerySet(models.QuerySet["ConsentPurpose"]):
    def with_state_for(self, user) -> "ConsentPurposeQuerySet":
        """Every purpose with the user's current state from their latest record, in one query.

        Adds `current_action` (None when never asked), `current_since` and
        `current_text_version`.
        """
        latest = ConsentRecord.objects.filter(user=user, purpose=OuterRef("pk")).order_by(
            "-created_at", "-pk"
        )
        return self.annotate(
            current_action=Subquery(latest.values("action")[:1]),
            current_since=Subquery(latest.values("created_at")[:1]),
            current_text_version=Subquery(latest.values("text__version")[:1]),
        ).order_by("ordering", "pk")


class ConsentPurpose(models.Model):
    """One purpose of processing a person consents to separately (152-FZ: specific consent)."""

    ACCOUNT = "account"
    MAILINGS = "mailings"

    code = models.SlugField(_("код"), max_length=50, unique=True)
    name = models.CharField(_("название"), max_length=255)
    is_required = models.BooleanField(
        _("обязательное"),
        default=False,
        help_text=_("Без этого согласия учётная запись не может существовать."),
    )
    ordering = models.PositiveSmallIntegerField(_("порядок"), default=0)

    objects = ConsentPurposeQuerySet.as_manager()

    # Set by `with_state_for()` only.
    current_action: str | None
    current_since: datetime | None
    current_text_version: int | None

    class Meta:
        verbose_name = _("цель обработки (согласие)")
        verbose_name_plural = _("цели обработки (согласия)")
        ordering = ["ordering", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_given(self) -> bool:
        """Whether the consent is in force; needs `with_state_for()`."""
        return self.current_action == ConsentRecord.Action.GIVEN


class ConsentTextQuerySet(models.QuerySet["ConsentText"]):
    def current_for_code(self, purpose_code: str) -> "ConsentText | None":
        """The version in force: the newest one published for the purpose."""
        return (
            self.select_related("purpose")
            .filter(purpose__code=purpose_code)
            .order_by("-version")
            .first()
        )


class ConsentText(models.Model):
    """One published wording of a purpose's consent. A changed text is a new version."""

    purpose = models.ForeignKey(
        ConsentPurpose,
        verbose_name=_("цель"),
        on_delete=models.PROTECT,
        related_name="texts",
    )
    version = models.PositiveIntegerField(_("редакция №"))
    title = models.CharField(_("заголовок"), max_length=255)
    body = models.TextField(
        _("текст"), help_text=_("Абзацы разделяются пустой строкой; разметка не нужна.")
    )
    # The operator's requisites as they were when this version was published (settings.OPERATOR):
    # the document shows them, and a change of requisites is published as a new version.
    operator = models.JSONField(
        _("реквизиты оператора на дату публикации"), default=dict, blank=True, editable=False
    )
    published_at = models.DateTimeField(_("опубликован"), default=timezone.now, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("опубликовал"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    objects = ConsentTextQuerySet.as_manager()

    class Meta:
        verbose_name = _("текст согласия")
        verbose_name_plural = _("тексты согласий")
        ordering = ["purpose__ordering", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["purpose", "version"], name="consents_text_one_number_per_version"
            ),
        ]
        triggers = append_only("consents_text")

    def __str__(self) -> str:
        return f"{self.title} (редакция № {self.version})"


class ConsentRecordQuerySet(models.QuerySet["ConsentRecord"]):
    def history_for(self, user) -> "ConsentRecordQuerySet":
        """A person's records, newest first, with everything a history table shows."""
        return (
            self.filter(user=user)
            .select_related("purpose", "text", "policy_version", "acted_by")
            .order_by("-created_at", "-pk")
        )

    def current_for(self, user) -> "ConsentRecordQuerySet":
        """The latest record per purpose (PostgreSQL DISTINCT ON): the person's current state."""
        return (
            self.filter(user=user)
            .select_related("purpose", "text", "policy_version")
            .order_by("purpose_id", "-created_at", "-pk")
            .distinct("purpose_id")
        )


class ConsentRecord(models.Model):
    """One act of giving or withdrawing a consent: what an inspector is shown. Never changes."""

    class Action(models.TextChoices):
        GIVEN = "given", _("согласие дано")
        WITHDRAWN = "withdrawn", _("согласие отозвано")

    class Source(models.TextChoices):
        REGISTRATION = "registration", _("форма регистрации")
        PROFILE = "profile", _("личный кабинет")
        EMAIL_LINK = "email_link", _("ссылка из письма")
        STAFF_PAPER = "staff_paper", _("сотрудник по бумажному заявлению")
        POLICY_RENEWAL = "policy_renewal", _("принятие новой редакции политики")

    # The composite index below starts with `user`, so the FK needs no index of its own.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("субъект (пользователь)"),
        on_delete=models.PROTECT,
        related_name="consent_records",
        db_index=False,
    )
    purpose = models.ForeignKey(
        ConsentPurpose, verbose_name=_("цель"), on_delete=models.PROTECT, related_name="records"
    )
    action = models.CharField(_("действие"), max_length=10, choices=Action.choices)
    text = models.ForeignKey(
        ConsentText,
        verbose_name=_("редакция текста согласия"),
        on_delete=models.PROTECT,
        related_name="records",
    )
    policy_version = models.ForeignKey(
        "privacy.PolicyVersion",
        verbose_name=_("редакция политики"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consent_records",
        help_text=_("Действовавшая в момент записи; пусто, если политика ещё не опубликована."),
    )
    created_at = models.DateTimeField(_("дата и время"), default=timezone.now, editable=False)
    ip_address = models.GenericIPAddressField(_("IP-адрес"), null=True, blank=True)
    user_agent = models.CharField(
        _("браузер (User-Agent)"), max_length=USER_AGENT_MAX_LENGTH, blank=True
    )
    source = models.CharField(_("способ"), max_length=20, choices=Source.choices)
    acted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("сотрудник, внёсший запись"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # A legal representative (policy 1.7); all blank when the subject acts themself.
    representative_name = models.CharField(
        _("законный представитель (ФИО)"), max_length=255, blank=True
    )
    represented_name = models.CharField(_("представляемое лицо (ФИО)"), max_length=255, blank=True)
    basis_document_type = models.CharField(
        _("документ-основание полномочий"), max_length=255, blank=True
    )
    basis_document_number = models.CharField(
        _("номер документа-основания"), max_length=100, blank=True
    )
    # The person's own document (a paper or an email) a member of staff recorded it from.
    document_number = models.CharField(_("входящий номер заявления"), max_length=100, blank=True)
    document_date = models.DateField(_("дата заявления"), null=True, blank=True)

    objects = ConsentRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("запись о согласии")
        verbose_name_plural = _("записи о согласиях")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["user", "purpose", "-created_at"], name="consents_record_user_state"
            ),
            models.Index(fields=["-created_at"], name="consents_record_created"),
        ]
        triggers = append_only("consents_record")

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.purpose} — {subject_reference(self.user_id)}"

    @property
    def by_representative(self) -> bool:
        return bool(self.representative_name)


class PolicyAcknowledgement(models.Model):
    """A consumer dismissed the notice of a policy version that needs no renewed consent.

    Not a consent (nothing was agreed to), so it is not a ConsentRecord; it proves the person
    was informed, and hides the notice from then on.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("пользователь"),
        on_delete=models.PROTECT,
        related_name="policy_acknowledgements",
        db_index=False,  # the unique constraint below starts with `user`
    )
    policy_version = models.ForeignKey(
        "privacy.PolicyVersion",
        verbose_name=_("редакция политики"),
        on_delete=models.PROTECT,
        related_name="acknowledgements",
    )
    created_at = models.DateTimeField(_("дата и время"), default=timezone.now, editable=False)
    ip_address = models.GenericIPAddressField(_("IP-адрес"), null=True, blank=True)
    user_agent = models.CharField(
        _("браузер (User-Agent)"), max_length=USER_AGENT_MAX_LENGTH, blank=True
    )

    class Meta:
        verbose_name = _("ознакомление с редакцией политики")
        verbose_name_plural = _("ознакомления с редакциями политики")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "policy_version"], name="consents_acknowledged_once"
            ),
        ]
        triggers = append_only("consents_acknowledgement")

    def __str__(self) -> str:
        return f"{subject_reference(self.user_id)} — {self.policy_version}"
