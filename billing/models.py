from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from billing.matching import factor_key, holder_surname
from billing.numbers import validate_account_number
from lkk.personal_data import subject_reference


class PersonalAccount(models.Model):
    """A лицевой счёт as the billing system exported it: a read-only copy kept by import."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("действует")
        CLOSED = "closed", _("закрыт")

    number = models.CharField(
        _("номер лицевого счёта"),
        max_length=20,
        unique=True,
        validators=[validate_account_number],
    )
    address = models.CharField(_("адрес объекта"), max_length=500)
    holder_name = models.CharField(
        _("владелец"), max_length=200, help_text=_("Фамилия и инициалы, как в биллинге.")
    )
    meter_number = models.CharField(_("заводской номер счётчика"), max_length=50, blank=True)
    status = models.CharField(
        _("состояние"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    created_at = models.DateTimeField(_("впервые загружен"), default=timezone.now)
    imported_at = models.DateTimeField(
        _("изменён импортом"),
        default=timezone.now,
        help_text=_("Когда импорт из биллинга последний раз изменил эту запись."),
    )

    class Meta:
        verbose_name = _("лицевой счёт")
        verbose_name_plural = _("лицевые счета")
        ordering = ["number"]
        permissions = [("import_personalaccount", _("Может загружать реестр лицевых счетов"))]

    def __str__(self) -> str:
        return self.number

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    def matches_factor(self, factor: str, value: str) -> bool:
        """Whether the consumer's answer matches the registry (case, spaces, ё/е ignored)."""
        expected = {
            AccountLink.Factor.SURNAME: holder_surname(self.holder_name),
            AccountLink.Factor.METER: self.meter_number,
        }[factor]
        given = factor_key(value)
        return bool(given) and given == factor_key(expected)


class AccountLinkQuerySet(models.QuerySet["AccountLink"]):
    def active(self) -> "AccountLinkQuerySet":
        return self.filter(unlinked_at__isnull=True)

    def for_dashboard(self, user) -> "AccountLinkQuerySet":
        """A consumer's linked accounts with only the columns the dashboard shows."""
        return (
            self.active()
            .filter(user=user)
            .select_related("account")
            .only(
                "linked_at",
                "user_id",
                "account__number",
                "account__address",
                "account__status",
            )
            .order_by("linked_at", "pk")
        )


class AccountLink(models.Model):
    """A web account's link to a лицевой счёт; unlinked links stay as history."""

    class Factor(models.TextChoices):
        SURNAME = "surname", _("фамилии владельца")
        METER = "meter", _("номеру счётчика")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="account_links",
        verbose_name=_("пользователь"),
    )
    account = models.ForeignKey(
        PersonalAccount,
        on_delete=models.PROTECT,
        related_name="links",
        verbose_name=_("лицевой счёт"),
    )
    factor = models.CharField(_("подтверждён по"), max_length=10, choices=Factor.choices)
    linked_at = models.DateTimeField(_("привязан"), default=timezone.now)
    unlinked_at = models.DateTimeField(_("отвязан"), null=True, blank=True)
    unlinked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("кем отвязан"),
    )
    unlink_reason = models.CharField(_("причина отвязки"), max_length=500, blank=True)

    objects = AccountLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("привязка лицевого счёта")
        verbose_name_plural = _("привязки лицевых счетов")
        ordering = ["-linked_at"]
        constraints = [
            # The rule "one consumer per account at a time" lives in the database, so two
            # people racing to link the same account can never both succeed.
            models.UniqueConstraint(
                fields=["account"],
                condition=models.Q(unlinked_at__isnull=True),
                name="billing_link_one_active_per_account",
                violation_error_message=_("Этот лицевой счёт уже привязан."),
            ),
            models.CheckConstraint(
                condition=models.Q(unlinked_at__isnull=False)
                | models.Q(unlinked_by__isnull=True, unlink_reason=""),
                name="billing_link_unlink_details_only_when_unlinked",
            ),
        ]
        indexes = [
            models.Index(
                fields=["user", "linked_at"],
                condition=models.Q(unlinked_at__isnull=True),
                name="billing_link_active_by_user",
            ),
            # The admin's list, newest first (the admin adds the key to make the order total).
            models.Index(
                models.F("linked_at").desc(), models.F("id").desc(), name="billing_link_newest"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account} → {subject_reference(self.user_id)}"

    @property
    def is_active(self) -> bool:
        return self.unlinked_at is None


class LinkOutcome(models.TextChoices):
    LINKED = "linked", _("привязан")
    UNKNOWN_NUMBER = "unknown_number", _("номер не найден")
    FACTOR_MISMATCH = "factor_mismatch", _("не совпал фактор проверки")
    ACCOUNT_CLOSED = "account_closed", _("счёт закрыт")
    LINKED_TO_OTHER = "linked_to_other", _("уже привязан другим пользователем")
    ALREADY_YOURS = "already_yours", _("уже привязан этим пользователем")
    RATE_LIMITED = "rate_limited", _("отклонено: превышен лимит попыток")


# Failures that count towards the limit: the ones a guesser produces. A rejected attempt
# (rate_limited) does not count, or a client that keeps trying would never get out of the limit.
COUNTED_FAILURES = (
    LinkOutcome.UNKNOWN_NUMBER,
    LinkOutcome.FACTOR_MISMATCH,
    LinkOutcome.ACCOUNT_CLOSED,
)


class LinkAttemptQuerySet(models.QuerySet):
    def counted_failures(self) -> "LinkAttemptQuerySet":
        return self.filter(outcome__in=COUNTED_FAILURES)


class LinkAttempt(models.Model):
    """Audit of one attempt to link an account, kept whatever its outcome.

    What it holds is what an investigation needs and no more: who (user, IP), when, the
    outcome, which factor *kind* was used, the account when the number exists, and for the
    number as typed only a mask and a keyed hash (HMAC with SECRET_KEY). A mistyped or guessed
    number may well be someone else's account, so it is not kept in the clear; the hash still
    lets staff find every attempt on a given number. The factor's value (a surname, a meter
    number) is never stored.
    """

    Outcome = LinkOutcome

    # The composite indexes below start with `user` and `ip_address`.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("пользователь"),
        db_index=False,
    )
    ip_address = models.GenericIPAddressField(_("IP-адрес"), null=True)
    account = models.ForeignKey(
        PersonalAccount,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("лицевой счёт"),
        help_text=_("Если введённый номер есть в реестре."),
    )
    number_masked = models.CharField(_("введённый номер"), max_length=24)
    number_digest = models.CharField(_("хеш введённого номера"), max_length=64, db_index=True)
    factor = models.CharField(
        _("фактор проверки"), max_length=10, choices=AccountLink.Factor.choices
    )
    outcome = models.CharField(_("результат"), max_length=20, choices=Outcome.choices)
    attempted_at = models.DateTimeField(_("время"), default=timezone.now, db_index=True)

    objects = LinkAttemptQuerySet.as_manager()

    class Meta:
        verbose_name = _("попытка привязки")
        verbose_name_plural = _("попытки привязки")
        ordering = ["-attempted_at"]
        indexes = [
            # The limit counts a consumer's and an IP address's recent failures; staff search
            # the audit by the same two.
            models.Index(fields=["user", "attempted_at"], name="billing_attempt_user"),
            models.Index(fields=["ip_address", "attempted_at"], name="billing_attempt_ip"),
        ]

    def __str__(self) -> str:
        return f"{self.number_masked}: {self.get_outcome_display()}"


class LinkDisputeQuerySet(models.QuerySet):
    def open(self) -> "LinkDisputeQuerySet":
        return self.filter(resolved_at__isnull=True)


class LinkDispute(models.Model):
    """A consumer's message to support: "my account is already linked by someone else".

    Only created after the consumer matched the verification factor, so it is not a way to
    learn whether a number exists.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("пользователь"),
    )
    account = models.ForeignKey(
        PersonalAccount,
        on_delete=models.PROTECT,
        related_name="disputes",
        verbose_name=_("лицевой счёт"),
    )
    comment = models.TextField(_("комментарий потребителя"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("получено"), default=timezone.now)
    resolved_at = models.DateTimeField(_("рассмотрено"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("кем рассмотрено"),
    )

    objects = LinkDisputeQuerySet.as_manager()

    class Meta:
        verbose_name = _("обращение: счёт привязан другим")
        verbose_name_plural = _("обращения: счёт привязан другим")
        ordering = ["-created_at"]
        constraints = [
            # Pressing the button twice files one message, not two.
            models.UniqueConstraint(
                fields=["user", "account"],
                condition=models.Q(resolved_at__isnull=True),
                name="billing_dispute_one_open_per_user_account",
            ),
        ]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(resolved_at__isnull=True),
                name="billing_dispute_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account} — {subject_reference(self.user_id)}"


class RegistryUpload(models.Model):
    """A registry file uploaded by staff, imported by a background task (`billing.uploads`):
    the request only stores it, so a large or hostile file never holds a web worker."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("в очереди")
        RUNNING = "running", _("загружается")
        DONE = "done", _("загружен")
        FAILED = "failed", _("не загружен")

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("кто загрузил"),
    )
    uploaded_at = models.DateTimeField(_("загружен"), default=timezone.now)
    file_name = models.CharField(_("имя файла"), max_length=255)
    full = models.BooleanField(_("полная выгрузка"), default=False)
    # The file itself, until the task has read it: it holds holders' names and addresses.
    content = models.BinaryField(_("содержимое"), editable=False)
    status = models.CharField(
        _("состояние"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    rows_read = models.PositiveIntegerField(_("прочитано строк"), default=0)
    percent = models.PositiveSmallIntegerField(_("готово, %"), null=True, blank=True)
    phase = models.CharField(_("этап"), max_length=200, blank=True)
    summary = models.JSONField(_("итог"), null=True, blank=True)
    rejections = models.JSONField(_("отклонённые строки (первые)"), default=list, blank=True)
    error = models.TextField(_("ошибка"), blank=True)
    started_at = models.DateTimeField(_("начат"), null=True, blank=True)
    finished_at = models.DateTimeField(_("закончен"), null=True, blank=True)

    class Meta:
        verbose_name = _("загрузка реестра")
        verbose_name_plural = _("загрузки реестра")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return f"Загрузка реестра № {self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
