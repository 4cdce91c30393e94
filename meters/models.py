"""Meters, tariffs and readings.

Meters, tariffs, reading outcomes and monthly volumes are copies of what the billing system
exports (kept by `meters.exchange` imports). Readings are what consumers pass through the portal:
append-only evidence (database triggers refuse deletes and changes), except that an export batch
is set once when a reading is handed to billing.
"""

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pgtrigger
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from billing.models import PersonalAccount

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Every reading value, tariff volume and price fits these: 9 digits before the point, 3 after.
VALUE_DIGITS, VALUE_DECIMALS = 12, 3
MAX_ZONES = 3


class Zone(models.IntegerChoices):
    """A tariff zone's position on the meter's display (Т1, Т2, Т3)."""

    T1 = 1, "Т1"
    T2 = 2, "Т2"
    T3 = 3, "Т3"


# What each zone is called on a meter with that many zones (the usual Russian assignment:
# Т1 is the day or peak zone, Т2 the night, Т3 the half-peak).
ZONE_NAMES: "dict[int, dict[int, StrOrPromise]]" = {
    1: {1: _("круглосуточно")},
    2: {1: _("день"), 2: _("ночь")},
    3: {1: _("пик"), 2: _("ночь"), 3: _("полупик")},
}


def zone_name(zones: int, zone: int) -> str:
    return str(ZONE_NAMES[zones][zone])


class ZoneCount(models.IntegerChoices):
    ONE = 1, _("однотарифный")
    TWO = 2, _("двухтарифный (день/ночь)")
    THREE = 3, _("трёхтарифный (пик/полупик/ночь)")


class TariffCategory(models.TextChoices):
    """Consumer categories of the regional tariff decision."""

    URBAN = "urban", _("население, городские дома с газовыми плитами")
    ELECTRIC_STOVE = "electric_stove", _("население, дома с электроплитами")
    RURAL = "rural", _("население, сельские населённые пункты")


def _value_field(verbose_name: "StrOrPromise", **kwargs: Any) -> models.DecimalField:
    return models.DecimalField(
        verbose_name, max_digits=VALUE_DIGITS, decimal_places=VALUE_DECIMALS, **kwargs
    )


class MeterQuerySet(models.QuerySet["Meter"]):
    def active(self) -> "MeterQuerySet":
        return self.filter(status=Meter.Status.ACTIVE)


class Meter(models.Model):
    """A meter of a лицевой счёт as the billing system exported it."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("в работе")
        CLOSED = "closed", _("снят")

    account = models.ForeignKey(
        PersonalAccount,
        on_delete=models.PROTECT,
        related_name="meters",
        verbose_name=_("лицевой счёт"),
    )
    serial_number = models.CharField(_("заводской номер"), max_length=50)
    model = models.CharField(_("модель"), max_length=100, blank=True)
    zones = models.PositiveSmallIntegerField(
        _("тарифных зон"), choices=ZoneCount.choices, default=ZoneCount.ONE
    )
    digits = models.PositiveSmallIntegerField(
        _("разрядность"),
        default=6,
        validators=[MinValueValidator(4), MaxValueValidator(9)],
        help_text=_("Разрядов до запятой: после 99999 счётчик на 5 разрядов начинает с нуля."),
    )
    decimals = models.PositiveSmallIntegerField(
        _("знаков после запятой"), default=0, validators=[MaxValueValidator(VALUE_DECIMALS)]
    )
    tariff_category = models.CharField(
        _("категория потребителя"),
        max_length=20,
        choices=TariffCategory.choices,
        default=TariffCategory.URBAN,
    )
    installed_on = models.DateField(_("дата установки"), null=True, blank=True)
    verification_due = models.DateField(_("дата очередной поверки"), null=True, blank=True)
    remote_read = models.BooleanField(
        _("дистанционный съём (ИСУ/АСКУЭ)"),
        default=False,
        help_text=_("Показания снимаются автоматически; вручную они не принимаются."),
    )
    status = models.CharField(
        _("состояние"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    # The last reading billing accepted, per zone, and its date.
    last_value_t1 = _value_field(_("последнее учтённое показание Т1"), null=True, blank=True)
    last_value_t2 = _value_field(_("последнее учтённое показание Т2"), null=True, blank=True)
    last_value_t3 = _value_field(_("последнее учтённое показание Т3"), null=True, blank=True)
    last_value_date = models.DateField(_("дата учтённого показания"), null=True, blank=True)
    created_at = models.DateTimeField(_("впервые загружен"), default=timezone.now)
    imported_at = models.DateTimeField(_("изменён импортом"), default=timezone.now)

    objects = MeterQuerySet.as_manager()

    class Meta:
        verbose_name = _("счётчик")
        verbose_name_plural = _("счётчики")
        ordering = ["account", "serial_number"]
        permissions = [
            ("import_meter", _("Может загружать счётчики, тарифы и результаты учёта показаний")),
            ("export_reading", _("Может выгружать показания в биллинг")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "serial_number"], name="meters_meter_unique_per_account"
            ),
            models.CheckConstraint(
                condition=models.Q(zones__gte=1, zones__lte=MAX_ZONES),
                name="meters_meter_zones_1_to_3",
            ),
        ]

    def __str__(self) -> str:
        return f"№ {self.serial_number}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def zone_numbers(self) -> range:
        return range(1, self.zones + 1)

    def zone_name(self, zone: int) -> str:
        return zone_name(self.zones, zone)

    def last_value(self, zone: int) -> Decimal | None:
        return getattr(self, f"last_value_t{zone}")

    def shown(self, value: Decimal | None) -> Decimal | None:
        """A stored value with as many decimals as the meter's display has."""
        return None if value is None else value.quantize(Decimal(1).scaleb(-self.decimals))

    @property
    def capacity(self) -> Decimal:
        """The first value the display cannot show: it wraps to zero there."""
        return Decimal(10) ** self.digits


class TariffQuerySet(models.QuerySet["Tariff"]):
    def in_force(self, on: datetime.date) -> "TariffQuerySet":
        return self.filter(valid_from__lte=on).filter(
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=on)
        )


class Tariff(models.Model):
    """A regional price per kWh for one zone of one zone scheme and consumer category."""

    category = models.CharField(
        _("категория потребителя"), max_length=20, choices=TariffCategory.choices
    )
    zones = models.PositiveSmallIntegerField(_("тарифных зон"), choices=ZoneCount.choices)
    zone = models.PositiveSmallIntegerField(_("зона"), choices=Zone.choices)
    price = models.DecimalField(
        _("цена, ₽ за кВт·ч"),
        max_digits=10,
        decimal_places=4,
        validators=[MinValueValidator(Decimal(0))],
    )
    valid_from = models.DateField(_("действует с"))
    valid_to = models.DateField(_("действует по"), null=True, blank=True)
    imported_at = models.DateTimeField(_("изменён"), default=timezone.now)

    objects = TariffQuerySet.as_manager()

    class Meta:
        verbose_name = _("тариф")
        verbose_name_plural = _("тарифы")
        ordering = ["category", "zones", "zone", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "zones", "zone", "valid_from"],
                name="meters_tariff_unique_start",
            ),
            models.CheckConstraint(
                condition=models.Q(zone__lte=models.F("zones")), name="meters_tariff_zone_in_scheme"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="meters_tariff_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}, {zone_name(self.zones, self.zone)}"


class ExportBatch(models.Model):
    """One hand-over of readings to billing; its number goes into the file's name and rows."""

    created_at = models.DateTimeField(_("выгружено"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("кем"),
        help_text=_("Пусто, если выгрузила команда export_readings."),
    )
    readings = models.PositiveIntegerField(_("показаний"), default=0)

    class Meta:
        verbose_name = _("выгрузка показаний")
        verbose_name_plural = _("выгрузки показаний")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"№ {self.pk}"

    @property
    def file_name(self) -> str:
        return f"pokazaniya-{self.pk:06d}.csv"


class ReadingQuerySet(models.QuerySet["Reading"]):
    def not_exported(self) -> "ReadingQuerySet":
        return self.filter(export_batch__isnull=True)


class Reading(models.Model):
    """One submission of a meter's reading: append-only evidence.

    The server assigns the billing period (the first day of the month it counts for). A second
    submission for the same meter and period replaces the first for billing; both stay here.
    """

    class Source(models.TextChoices):
        WEB = "web", _("личный кабинет")
        STAFF_PHONE = "staff_phone", _("сотрудник по телефону")

    number = models.CharField(_("номер"), max_length=30, unique=True)
    meter = models.ForeignKey(
        Meter, on_delete=models.PROTECT, related_name="readings", verbose_name=_("счётчик")
    )
    period = models.DateField(_("расчётный период"), help_text=_("Первое число месяца."))
    value_t1 = _value_field(_("показание Т1"))
    value_t2 = _value_field(_("показание Т2"), null=True, blank=True)
    value_t3 = _value_field(_("показание Т3"), null=True, blank=True)
    # Whether the consumer confirmed a jump above the usual consumption, and whether a lower
    # value was taken as the counter rolling over.
    jump_confirmed = models.BooleanField(_("скачок подтверждён"), default=False)
    rollover = models.BooleanField(_("переход через ноль"), default=False)
    source = models.CharField(_("источник"), max_length=20, choices=Source.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="meter_readings",
        verbose_name=_("потребитель"),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("внёс сотрудник"),
    )
    ip_address = models.GenericIPAddressField(_("IP-адрес"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("передано"), default=timezone.now)
    export_batch = models.ForeignKey(
        ExportBatch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reading_set",
        verbose_name=_("выгрузка"),
    )

    objects = ReadingQuerySet.as_manager()

    class Meta:
        verbose_name = _("переданное показание")
        verbose_name_plural = _("переданные показания")
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["meter", "period", "submitted_at"], name="meters_reading_period"),
            models.Index(
                fields=["id"],
                condition=models.Q(export_batch__isnull=True),
                name="meters_reading_not_exported",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(source="web", entered_by__isnull=True)
                | models.Q(source="staff_phone", entered_by__isnull=False),
                name="meters_reading_staff_source_names_staff",
            ),
        ]
        triggers = [
            # Nothing but the export batch may change, and that only once (from empty).
            pgtrigger.Protect(
                name="meters_reading_no_update",
                operation=pgtrigger.Update,
                condition=pgtrigger.AnyChange(exclude=["export_batch"]),
            ),
            pgtrigger.Protect(
                name="meters_reading_export_once",
                operation=pgtrigger.Update,
                condition=pgtrigger.Q(old__export_batch__isnull=False)
                & pgtrigger.Q(old__export_batch__df=pgtrigger.F("new__export_batch")),
            ),
            pgtrigger.Protect(name="meters_reading_no_delete", operation=pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return self.number

    def value(self, zone: int) -> Decimal | None:
        return getattr(self, f"value_t{zone}")


class ReadingOutcome(models.Model):
    """What billing did with a reading the portal passed: «учтено в расчёте за …» or
    «не учтено: …». Billing may send a corrected outcome later; the import keeps the latest."""

    reading = models.OneToOneField(
        Reading,
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="outcome",
        verbose_name=_("показание"),
    )
    accepted = models.BooleanField(_("учтено"))
    billed_month = models.DateField(
        _("учтено в расчёте за"), null=True, blank=True, help_text=_("Первое число месяца.")
    )
    reason = models.CharField(_("причина"), max_length=500, blank=True)
    imported_at = models.DateTimeField(_("получено из биллинга"), default=timezone.now)

    class Meta:
        verbose_name = _("результат учёта показания")
        verbose_name_plural = _("результаты учёта показаний")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(accepted=True, billed_month__isnull=False)
                | models.Q(accepted=False, billed_month__isnull=True),
                name="meters_outcome_month_only_when_accepted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reading_id}"


class VolumeSource(models.TextChoices):
    CONSUMER = "consumer", _("показания потребителя")
    AVERAGE = "average", _("среднемесячный объём")
    NORM = "norm", _("норматив")
    CONTROL = "control", _("контрольное снятие")
    REMOTE = "remote", _("ИСУ")


class MonthlyVolume(models.Model):
    """The volume billing charged a meter for one month, per zone, and where it came from."""

    Source = VolumeSource

    meter = models.ForeignKey(
        Meter, on_delete=models.CASCADE, related_name="volumes", verbose_name=_("счётчик")
    )
    month = models.DateField(_("месяц"), help_text=_("Первое число месяца."))
    source = models.CharField(_("источник объёма"), max_length=20, choices=VolumeSource.choices)
    volume_t1 = _value_field(_("объём Т1, кВт·ч"), default=Decimal(0))
    volume_t2 = _value_field(_("объём Т2, кВт·ч"), null=True, blank=True)
    volume_t3 = _value_field(_("объём Т3, кВт·ч"), null=True, blank=True)
    imported_at = models.DateTimeField(_("получено из биллинга"), default=timezone.now)

    class Meta:
        verbose_name = _("объём за месяц")
        verbose_name_plural = _("объёмы за месяц")
        ordering = ["meter", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["meter", "month"], name="meters_volume_unique_month"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%m.%Y}"

    def volume(self, zone: int) -> Decimal | None:
        return getattr(self, f"volume_t{zone}")

    @property
    def total(self) -> Decimal:
        return sum((v for v in (self.volume_t1, self.volume_t2, self.volume_t3) if v), Decimal(0))


class ReminderPreference(models.Model):
    """A consumer who turned off reminders to pass readings (a service notification, not a
    mailing: no consent is needed for it, only this choice)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="meter_reminder_preference",
        verbose_name=_("пользователь"),
    )
    reminders = models.BooleanField(_("напоминать о передаче показаний"), default=True)
    changed_at = models.DateTimeField(_("изменено"), default=timezone.now)

    class Meta:
        verbose_name = _("настройка напоминаний")
        verbose_name_plural = _("настройки напоминаний")

    def __str__(self) -> str:
        return f"{self.user_id}"


class ReminderSent(models.Model):
    """One reminder per consumer and period: the unique row is claimed before the letter goes."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("пользователь"),
    )
    period = models.DateField(_("расчётный период"))
    sent_at = models.DateTimeField(_("отправлено"), default=timezone.now)

    class Meta:
        verbose_name = _("напоминание о показаниях")
        verbose_name_plural = _("напоминания о показаниях")
        constraints = [
            models.UniqueConstraint(fields=["user", "period"], name="meters_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.period:%m.%Y}"
