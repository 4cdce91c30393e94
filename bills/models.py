"""Charges, payments and receipts as the billing system computed them: read-only copies kept by
import. A month's charge re-sent corrected becomes a new version; the earlier one stays, marked
replaced, with its lines."""

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from billing.models import PersonalAccount

MONEY: dict[str, Any] = {"max_digits": 14, "decimal_places": 2}


class ChargeQuerySet(models.QuerySet["Charge"]):
    def current(self) -> "ChargeQuerySet":
        return self.filter(replaced_at__isnull=True)


class Charge(models.Model):
    """One month of one лицевой счёт (one version of it). Balances: positive is a debt,
    negative an overpayment."""

    account = models.ForeignKey(
        PersonalAccount,
        on_delete=models.PROTECT,
        related_name="charges",
        verbose_name=_("лицевой счёт"),
        db_index=False,  # the indexes below start with `account`
    )
    period = models.DateField(_("расчётный месяц"), help_text=_("Первое число месяца."))
    version = models.PositiveIntegerField(_("версия"), default=1)
    opening_balance = models.DecimalField(_("сальдо на начало"), **MONEY)
    charged = models.DecimalField(_("начислено"), **MONEY)
    paid = models.DecimalField(_("оплачено в месяце"), **MONEY, default=Decimal(0))
    closing_balance = models.DecimalField(_("сальдо на конец"), **MONEY)
    amount_due = models.DecimalField(_("к оплате"), **MONEY)
    due_date = models.DateField(_("оплатить до"))
    digest = models.CharField(_("контрольная сумма строк"), max_length=32, editable=False)
    imported_at = models.DateTimeField(_("загружено"), default=timezone.now)
    replaced_at = models.DateTimeField(
        _("заменено исправлением"),
        null=True,
        blank=True,
        help_text=_("Пусто у действующей версии."),
    )

    objects = ChargeQuerySet.as_manager()

    class Meta:
        verbose_name = _("начисление за месяц")
        verbose_name_plural = _("начисления за месяц")
        ordering = ["-period", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "period"],
                condition=Q(replaced_at__isnull=True),
                name="bills_charge_one_current_per_month",
            ),
            models.UniqueConstraint(
                fields=["account", "period", "version"], name="bills_charge_version_unique"
            ),
            models.CheckConstraint(condition=Q(period__day=1), name="bills_charge_period_month"),
        ]
        indexes = [
            # The consumer's month list and the latest month: newest first, current only.
            models.Index(
                fields=["account", "-period"],
                condition=Q(replaced_at__isnull=True),
                name="bills_charge_current",
            ),
            models.Index(fields=["period"], name="bills_charge_period"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id}: {self.period:%m.%Y} (v{self.version})"

    @property
    def is_current(self) -> bool:
        return self.replaced_at is None

    @property
    def period_end(self) -> datetime.date:
        return month_end(self.period)


def month_end(period: datetime.date) -> datetime.date:
    next_month = (period.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return next_month - datetime.timedelta(days=1)


class VolumeSource(models.TextChoices):
    READINGS = "readings", _("показания потребителя")
    AVERAGE = "average", _("среднемесячный объём")
    NORM = "norm", _("норматив")
    CONTROL = "control", _("контрольное снятие")
    REMOTE = "remote", _("ИСУ (дистанционное снятие)")


class Zone(models.TextChoices):
    SINGLE = "single", _("круглосуточно")
    DAY = "day", _("день")
    NIGHT = "night", _("ночь")
    PEAK = "peak", _("пик")
    SEMIPEAK = "semipeak", _("полупик")


class ChargeLine(models.Model):
    """A line of a month: a service in a zone, or a recalculation of an earlier month."""

    class Kind(models.TextChoices):
        CHARGE = "charge", _("начисление")
        RECALCULATION = "recalc", _("перерасчёт")

    charge = models.ForeignKey(
        Charge, on_delete=models.CASCADE, related_name="lines", verbose_name=_("месяц")
    )
    position = models.PositiveSmallIntegerField(_("№ строки"))
    kind = models.CharField(_("вид"), max_length=6, choices=Kind.choices, default=Kind.CHARGE)
    service = models.CharField(_("услуга"), max_length=200)
    zone = models.CharField(_("зона"), max_length=10, choices=Zone.choices, default=Zone.SINGLE)
    volume = models.DecimalField(_("объём, кВт·ч"), max_digits=14, decimal_places=3)
    source = models.CharField(_("источник объёма"), max_length=10, choices=VolumeSource.choices)
    tariff = models.DecimalField(_("тариф, ₽/кВт·ч"), max_digits=10, decimal_places=4)
    amount = models.DecimalField(_("сумма"), **MONEY)
    reading_start = models.DecimalField(
        _("показание на начало"), max_digits=14, decimal_places=3, null=True, blank=True
    )
    reading_end = models.DecimalField(
        _("показание на конец"), max_digits=14, decimal_places=3, null=True, blank=True
    )
    recalculated_period = models.DateField(_("пересчитанный месяц"), null=True, blank=True)
    reason = models.CharField(_("причина перерасчёта"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("строка начисления")
        verbose_name_plural = _("строки начисления")
        ordering = ["charge", "position"]
        constraints = [
            models.UniqueConstraint(fields=["charge", "position"], name="bills_line_position"),
        ]

    def __str__(self) -> str:
        return f"{self.charge_id}/{self.position}"

    @property
    def is_recalculation(self) -> bool:
        return self.kind == self.Kind.RECALCULATION


class Payment(models.Model):
    """A payment as billing received it; the billing system's id makes re-imports idempotent."""

    class Channel(models.TextChoices):
        BANK = "bank", _("банк")
        POST = "post", _("почта")
        CASH = "cash", _("касса")
        ONLINE = "online", _("онлайн")

    account = models.ForeignKey(
        PersonalAccount,
        on_delete=models.PROTECT,
        related_name="payments",
        verbose_name=_("лицевой счёт"),
        db_index=False,
    )
    external_id = models.CharField(_("номер платежа в биллинге"), max_length=40, unique=True)
    paid_on = models.DateField(_("дата платежа"))
    amount = models.DecimalField(_("сумма"), **MONEY)
    channel = models.CharField(_("способ"), max_length=10, choices=Channel.choices)
    period = models.DateField(_("зачтён за месяц"))
    imported_at = models.DateTimeField(_("загружен"), default=timezone.now)

    class Meta:
        verbose_name = _("платёж")
        verbose_name_plural = _("платежи")
        ordering = ["-paid_on", "-pk"]
        indexes = [models.Index(fields=["account", "-paid_on"], name="bills_payment_account")]

    def __str__(self) -> str:
        return self.external_id


class PaymentVersion(models.Model):
    """A payment's values before billing re-sent it corrected: kept as evidence, as a corrected
    month keeps its earlier version. Written by the import, never changed."""

    payment = models.ForeignKey(
        Payment,
        on_delete=models.CASCADE,
        related_name="earlier_versions",
        verbose_name=_("платёж"),
    )
    account = models.ForeignKey(
        PersonalAccount,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("лицевой счёт"),
        db_index=False,
    )
    paid_on = models.DateField(_("дата платежа"))
    amount = models.DecimalField(_("сумма"), **MONEY)
    channel = models.CharField(_("способ"), max_length=10, choices=Payment.Channel.choices)
    period = models.DateField(_("зачтён за месяц"))
    imported_at = models.DateTimeField(_("загружен"))
    replaced_at = models.DateTimeField(_("заменён исправлением"))

    class Meta:
        verbose_name = _("прежняя версия платежа")
        verbose_name_plural = _("прежние версии платежей")
        ordering = ["payment", "replaced_at", "pk"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} № {self.pk}"


class ElectronicReceiptChoiceQuerySet(models.QuerySet["ElectronicReceiptChoice"]):
    def not_exported(self) -> "ElectronicReceiptChoiceQuerySet":
        return self.filter(export__isnull=True)


class ElectronicReceiptChoice(models.Model):
    """A consumer's choice, append-only: the latest one per account is in force. Billing gets
    every choice (with its time) by `manage.py export_receipt_choices`, and stops printing."""

    account = models.ForeignKey(
        PersonalAccount,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("лицевой счёт"),
        db_index=False,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("пользователь"),
    )
    electronic = models.BooleanField(_("электронная квитанция"))
    chosen_at = models.DateTimeField(_("выбрано"), default=timezone.now)
    export = models.ForeignKey(
        "ReceiptChoiceExport",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="choices",
        verbose_name=_("выгрузка"),
    )

    objects = ElectronicReceiptChoiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("выбор электронной квитанции")
        verbose_name_plural = _("выбор электронной квитанции")
        ordering = ["-chosen_at", "-pk"]
        indexes = [
            models.Index(fields=["account", "-chosen_at", "-id"], name="bills_choice_latest"),
            models.Index(
                fields=["id"], condition=Q(export__isnull=True), name="bills_choice_unexported"
            ),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} № {self.pk}"


class ReceiptChoiceExport(models.Model):
    """One file of choices handed to billing; it can be written again by its number."""

    created_at = models.DateTimeField(_("выгружено"), default=timezone.now)
    rows = models.PositiveIntegerField(_("строк"), default=0)

    class Meta:
        verbose_name = _("выгрузка выбора квитанций")
        verbose_name_plural = _("выгрузки выбора квитанций")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} № {self.pk}"


class ReceiptLetter(models.Model):
    """A month's letter to one person, with the receipts of every account they chose the
    electronic receipt for: never two for the same person and month."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("получатель"),
        db_index=False,
    )
    period = models.DateField(_("расчётный месяц"))
    created_at = models.DateTimeField(_("включено в отправку"), default=timezone.now)
    sent_at = models.DateTimeField(_("письмо отправлено"), null=True, blank=True)

    class Meta:
        verbose_name = _("письмо с квитанцией")
        verbose_name_plural = _("письма с квитанциями")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "period"], name="bills_receipt_letter_once"),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} № {self.pk}"


class BillsImport(models.Model):
    """A run of the charges or payments import, with its summary for staff: from the command,
    or a file uploaded in the admin and imported by a background task (`bills.uploads`)."""

    class Kind(models.TextChoices):
        CHARGES = "charges", _("начисления")
        PAYMENTS = "payments", _("платежи")

    class Status(models.TextChoices):
        QUEUED = "queued", _("в очереди")
        RUNNING = "running", _("идёт")
        DONE = "done", _("завершён")
        FAILED = "failed", _("ошибка")

    kind = models.CharField(_("что загружено"), max_length=10, choices=Kind.choices)
    file_name = models.CharField(_("файл"), max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("кто загрузил"),
        help_text=_("Пусто — загружено командой."),
    )
    # An uploaded file, until the task has read it: it holds account numbers and amounts.
    content = models.BinaryField(_("содержимое"), editable=False, default=b"")
    started_at = models.DateTimeField(_("начат"), default=timezone.now)
    finished_at = models.DateTimeField(_("закончен"), null=True, blank=True)
    status = models.CharField(
        _("состояние"), max_length=10, choices=Status.choices, default=Status.RUNNING
    )
    rows_read = models.PositiveIntegerField(_("прочитано строк"), default=0)
    percent = models.PositiveSmallIntegerField(_("прочитано, %"), null=True, blank=True)
    phase = models.CharField(_("этап"), max_length=200, blank=True)
    accounts = models.PositiveIntegerField(_("счетов с начислениями / платежами"), default=0)
    created = models.PositiveIntegerField(_("новых"), default=0)
    replaced = models.PositiveIntegerField(_("исправлено (новая версия)"), default=0)
    unchanged = models.PositiveIntegerField(_("без изменений"), default=0)
    total = models.DecimalField(_("сумма по файлу"), **MONEY, default=Decimal(0))
    rejected = models.PositiveIntegerField(_("отклонено строк"), default=0)
    rejections = models.JSONField(_("отклонённые строки (первые)"), default=list, blank=True)
    # Set by `manage.py apply_retention` (bills.personal_data) when the term has run out.
    rejections_erased_at = models.DateTimeField(
        _("отклонённые строки уничтожены"),
        null=True,
        blank=True,
        help_text=_("По истечении срока хранения; итоги загрузки сохранены."),
    )
    message = models.TextField(_("сообщение"), blank=True)

    class Meta:
        verbose_name = _("загрузка начислений и платежей")
        verbose_name_plural = _("загрузки начислений и платежей")
        ordering = ["-started_at"]
        permissions = [("import_bills", _("Может загружать начисления и платежи"))]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} № {self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
