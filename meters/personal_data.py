"""What the meters app holds about a person: the readings they passed (with the IP address they
came from and billing's outcome) and their reminders to pass readings (see `lkk.personal_data`).

Meters, tariffs and volumes are the billing system's copies about a лицевой счёт, declared with
the accounts (`billing.accounts`); export batches name only the member of staff who ran them.
"""

import datetime
from typing import Any

import pgtrigger
from django.db import transaction
from django.utils import timezone

from lkk import personal_data as pd
from meters.models import Reading, ReadingOutcome, ReminderPreference, ReminderSent

READING_NO_UPDATE = "meters.Reading:meters_reading_no_update"
READING_NO_DELETE = "meters.Reading:meters_reading_no_delete"
BATCH_SIZE = 1000


def _moment(value: datetime.datetime | None) -> datetime.datetime | None:
    return timezone.localtime(value) if value else None


def _outcome(reading: Reading) -> str:
    outcome = getattr(reading, "outcome", None)
    if outcome is None:
        return "ещё не обработано биллингом"
    if outcome.accepted:
        return f"учтено в расчёте за {outcome.billed_month:%m.%Y}"
    return f"не учтено: {outcome.reason}" if outcome.reason else "не учтено"


def _readings_export(user: Any) -> list[pd.Row]:
    readings = (
        Reading.objects.filter(user=user)
        .select_related("meter__account", "outcome")
        .order_by("submitted_at", "pk")
    )
    return [
        {
            "Номер": reading.number,
            "Передано": _moment(reading.submitted_at),
            "Лицевой счёт": reading.meter.account.number,
            "Счётчик": reading.meter.serial_number,
            "Расчётный период": f"{reading.period:%m.%Y}",
            "Показания": " / ".join(
                f"{reading.meter.zone_name(zone)}: {reading.value(zone)}"
                for zone in reading.meter.zone_numbers
                if reading.value(zone) is not None
            ),
            "Как передано": reading.get_source_display(),
            "IP-адрес": reading.ip_address,
            "Результат": _outcome(reading),
        }
        for reading in readings
    ]


def _readings_erase(erasure: pd.Erasure) -> pd.Counts:
    """The readings stay (billing counted them under the contract, on the pseudonymous account);
    the address they came from goes."""
    with pgtrigger.ignore(READING_NO_UPDATE):
        count = Reading.objects.filter(user=erasure.user, ip_address__isnull=False).update(
            ip_address=None
        )
    return {"переданные показания счётчиков (IP-адреса уничтожены)": count}


def _readings_expire(now: datetime.datetime, dry_run: bool) -> pd.Counts:
    """Readings past the period go with billing's outcome of them, a batch per transaction."""
    old = Reading.objects.filter(
        submitted_at__lt=pd.older_than(now, "METERS_READING_RETENTION_DAYS")
    )
    if dry_run:
        return {"переданные показания счётчиков (удалены)": old.count()}
    deleted = 0
    while ids := list(old.values_list("pk", flat=True)[:BATCH_SIZE]):
        with transaction.atomic(), pgtrigger.ignore(READING_NO_DELETE):
            ReadingOutcome.objects.filter(reading_id__in=ids).delete()
            deleted += Reading.objects.filter(pk__in=ids).delete()[0]
    return {"переданные показания счётчиков (удалены)": deleted}


def _reminders_export(user: Any) -> list[pd.Row]:
    rows: list[pd.Row] = [
        {
            "Что": "напоминать о передаче показаний"
            if preference.reminders
            else "не напоминать о передаче показаний",
            "Когда": _moment(preference.changed_at),
        }
        for preference in ReminderPreference.objects.filter(user=user)
    ]
    rows += [
        {"Что": f"напоминание за {sent.period:%m.%Y} отправлено", "Когда": _moment(sent.sent_at)}
        for sent in ReminderSent.objects.filter(user=user).order_by("sent_at", "pk")
    ]
    return rows


def _reminders_erase(erasure: pd.Erasure) -> pd.Counts:
    preferences, _ = ReminderPreference.objects.filter(user=erasure.user).delete()
    sent, _ = ReminderSent.objects.filter(user=erasure.user).delete()
    return {"настройки и отметки напоминаний о показаниях (удалены)": preferences + sent}


def _reminders_expire(now: datetime.datetime, dry_run: bool) -> pd.Counts:
    old = ReminderSent.objects.filter(
        sent_at__lt=pd.older_than(now, "METERS_REMINDER_RETENTION_DAYS")
    )
    return {"отметки об отправке напоминаний (удалены)": pd.expire_rows(old, dry_run=dry_run)}


pd.register(
    pd.Category(
        key="meters.readings",
        title="Переданные показания счётчиков",
        data=(
            "номер лицевого счёта и заводской номер счётчика",
            "показания по тарифным зонам и расчётный период",
            "время и способ передачи",
            "IP-адрес, с которого переданы показания",
            "результат учёта показаний в биллинге",
        ),
        purpose="расчёт платы за электроэнергию по показаниям потребителя (Правила № 354)",
        legal_basis=pd.Basis.CONTRACT,
        source=pd.Source.PERSON,
        retention=pd.Retention(
            "METERS_READING_RETENTION_DAYS",
            1095,
            "срок исковой давности по договору энергоснабжения; при уничтожении данных по "
            "требованию показания остаются без IP-адреса, как основание расчёта",
        ),
        models=("meters.Reading", "meters.ReadingOutcome"),
        export=_readings_export,
        erase=_readings_erase,
        expire=_readings_expire,
    ),
    pd.Category(
        key="meters.reminders",
        title="Напоминания о передаче показаний",
        data=("согласие или отказ получать напоминания", "за какие месяцы напоминания отправлены"),
        purpose="напоминание о сроке передачи показаний по договору энергоснабжения",
        legal_basis=pd.Basis.CONTRACT,
        source=pd.Source.PORTAL,
        retention=pd.Retention(
            "METERS_REMINDER_RETENTION_DAYS",
            365,
            "для отметок об отправке; выбор — пока действует учётная запись",
        ),
        models=("meters.ReminderPreference", "meters.ReminderSent"),
        export=_reminders_export,
        erase=_reminders_erase,
        expire=_reminders_expire,
    ),
)
pd.register_staff_records("meters.ExportBatch")
