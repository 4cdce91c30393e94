"""Passing readings: the checks, the estimate, the submission with its receipt, the export to
billing and the reminders. Each workflow that writes is one transaction."""

import datetime
import io
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Avg, Exists, OuterRef, Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import User
from billing.models import AccountLink, PersonalAccount
from lkk import personal_data
from lkk.db import advisory_lock, serial_number
from lkk.limits import Limit, RateLimited, rate_limited_message, window_check
from lkk.russian import plural
from meters import tasks
from meters.models import (
    ExportBatch,
    Meter,
    MonthlyVolume,
    Reading,
    ReminderPreference,
    ReminderSent,
    Tariff,
)
from meters.window import ReadingWindow, current_time, previous_month, reading_window

logger = logging.getLogger(__name__)

NUMBER_SEQUENCE = "meters_reading_number_seq"
NUMBER_PREFIX = "ПП"  # «переданное показание»
# Averages for the jump check come from this many billed months before the reading.
AVERAGE_MONTHS = 12
# A value lower than the previous one is a rollover only when the previous one was in the last
# tenth of the display's range and the new one is in the first tenth.
ROLLOVER_SHARE = Decimal("0.1")


class ReadingRefused(Exception):
    """The meter takes no reading from this person now; the message says why, in Russian."""


def kwh(value: Decimal) -> str:
    return formats.number_format(
        value.normalize() if value == value.to_integral() else value,
        use_l10n=True,
        force_grouping=True,
    )


# --- Who may pass a reading, and when ---------------------------------------------------------


def meters_of(user) -> QuerySet[Meter]:
    """Meters of the accounts `user` holds now: the only ones they may see or pass readings for."""
    return Meter.objects.filter(
        account__links__user=user, account__links__unlinked_at__isnull=True
    ).select_related("account")


def meter_refusal(meter: Meter, *, window: ReadingWindow) -> str | None:
    """Why this meter takes no manual reading now, or None."""
    if meter.account.status != PersonalAccount.Status.ACTIVE:
        return _("Лицевой счёт закрыт: показания по нему не принимаются.")
    if not meter.is_active:
        return _("Счётчик снят: показания по нему не принимаются.")
    if meter.remote_read:
        return _(
            "Показания этого счётчика снимаются автоматически (ИСУ): передавать их вручную "
            "не нужно, мы учтём переданные счётчиком."
        )
    if window.refuses:
        return _("Показания принимаются с %(opens)s по %(closes)s.") % {
            "opens": formats.date_format(window.opens, "j E"),
            "closes": formats.date_format(window.closes, "j E"),
        }
    return None


# --- Checks of the values ---------------------------------------------------------------------


def parse_value(meter: Meter, text: str) -> Decimal:
    """A number the meter can show: its digits before the point, its decimals after."""
    text = text.strip().replace(" ", "").replace("\u00a0", "").replace(",", ".")
    if not text:
        raise ValidationError(_("Введите показание."), code="required")
    decimals = rf"(\.\d{{1,{meter.decimals}}})?" if meter.decimals else ""
    if not re.fullmatch(rf"\d{{1,{meter.digits}}}{decimals}", text):
        if meter.decimals:
            message = _(
                "Введите число: до %(digits)d %(digit_word)s до запятой и не больше %(decimals)d "
                "%(decimal_word)s после неё, как на счётчике."
            )
        else:
            message = _(
                "Введите целое число: до %(digits)d %(digit_word)s, как на счётчике, без цифр "
                "после запятой."
            )
        raise ValidationError(
            message
            % {
                "digits": meter.digits,
                "digit_word": plural(meter.digits, "цифры", "цифр", "цифр"),
                "decimals": meter.decimals,
                "decimal_word": plural(meter.decimals, "знака", "знаков", "знаков"),
            },
            code="format",
        )
    return Decimal(text)


@dataclass(frozen=True)
class ZoneConsumption:
    zone: int
    name: str
    value: Decimal
    previous: Decimal | None
    consumption: Decimal | None  # None without a previous reading
    rollover: bool


def zone_consumption(meter: Meter, zone: int, value: Decimal) -> ZoneConsumption:
    """The consumption since the last accepted reading; a lower value is refused unless the
    counter rolled over."""
    previous = meter.shown(meter.last_value(zone))
    name = meter.zone_name(zone)
    if previous is None:
        return ZoneConsumption(zone, name, value, None, None, False)
    if value >= previous:
        return ZoneConsumption(zone, name, value, previous, value - previous, False)
    capacity = meter.capacity
    if previous >= capacity * (1 - ROLLOVER_SHARE) and value < capacity * ROLLOVER_SHARE:
        return ZoneConsumption(zone, name, value, previous, capacity - previous + value, True)
    raise ValidationError(
        _(
            "Показание меньше предыдущего учтённого (%(previous)s от %(date)s). Проверьте цифры. "
            "Если счётчик заменили, сообщите об этом через «Обратную связь»: показания нового "
            "счётчика начнут приниматься после того, как мы его зарегистрируем."
        )
        % {
            "previous": kwh(previous),
            "date": formats.date_format(meter.last_value_date, "d.m.Y")
            if meter.last_value_date
            else "—",
        },
        code="below_previous",
    )


def monthly_averages(meter: Meter, *, before: datetime.date) -> dict[int, Decimal | None]:
    """Average billed consumption per zone over the AVERAGE_MONTHS before `before` (one query)."""
    since = before
    for _month in range(AVERAGE_MONTHS):
        since = previous_month(since)
    averages = MonthlyVolume.objects.filter(
        meter=meter, month__gte=since, month__lt=before
    ).aggregate(t1=Avg("volume_t1"), t2=Avg("volume_t2"), t3=Avg("volume_t3"))
    return {zone: averages[f"t{zone}"] for zone in meter.zone_numbers}


def jump_message(line: ZoneConsumption, average: Decimal) -> str:
    return _(
        "Расход %(consumption)s кВт·ч больше чем в %(factor)d раза превышает средний за месяц "
        "(%(average)s кВт·ч). Проверьте показание; если оно верное, отметьте «Показание верное»."
    ) % {
        "consumption": kwh(line.consumption or Decimal(0)),
        "factor": settings.METERS_JUMP_FACTOR,
        "average": kwh(average.quantize(Decimal(1), ROUND_HALF_UP)),
    }


def is_jump(line: ZoneConsumption, average: Decimal | None) -> bool:
    if line.consumption is None or not average:
        return False
    return line.consumption > average * settings.METERS_JUMP_FACTOR


# --- The estimate -----------------------------------------------------------------------------


@dataclass(frozen=True)
class EstimateLine:
    zone: ZoneConsumption
    price: Decimal | None
    cost: Decimal | None


@dataclass(frozen=True)
class Estimate:
    lines: list[EstimateLine]

    @property
    def total(self) -> Decimal | None:
        costs = [line.cost for line in self.lines]
        if not costs or any(cost is None for cost in costs):
            return None
        return sum((cost for cost in costs if cost is not None), Decimal(0))


def estimate(meter: Meter, lines: Iterable[ZoneConsumption], *, on: datetime.date) -> Estimate:
    """What the consumption would cost at the tariffs in force `on` (one query)."""
    prices = dict(
        Tariff.objects.in_force(on)
        .filter(category=meter.tariff_category, zones=meter.zones)
        .order_by("zone", "valid_from")
        .values_list("zone", "price")
    )
    result = []
    for line in lines:
        price = prices.get(line.zone)
        cost = None
        if price is not None and line.consumption is not None:
            cost = (line.consumption * price).quantize(Decimal("0.01"), ROUND_HALF_UP)
        result.append(EstimateLine(line, price, cost))
    return Estimate(result)


# --- The submission ---------------------------------------------------------------------------


def reading_submit(
    *,
    meter: Meter,
    user,
    values: dict[int, Decimal],
    source: str = Reading.Source.WEB,
    entered_by=None,
    ip_address: str | None = None,
    jump_confirmed: bool = False,
    rollover: bool = False,
    now: datetime.datetime | None = None,
) -> Reading:
    """Store a reading the form has checked, with a receipt number, and send the letter after
    commit. Refuses (ReadingRefused) if the meter takes no reading now or `user` no longer holds
    the account. The period is the server's, from the moment of submission."""
    now = now or current_time()
    window = reading_window(now)
    with transaction.atomic():
        holder = (
            AccountLink.objects.active()
            .filter(account_id=meter.account_id)
            .values_list("user_id", flat=True)
            .first()
        )
        if holder is None or holder != user.pk:
            raise ReadingRefused(_("Показания передаёт владелец лицевого счёта."))
        refusal = meter_refusal(meter, window=window)
        if refusal:
            raise ReadingRefused(refusal)
        # A mistake is corrected by a second reading; a script is stopped (`lkk.limits`:
        # parallel submissions for the meter queue on its lock, so none slips under the count).
        try:
            window_check(
                Reading.objects.filter(meter=meter),
                at_field="submitted_at",
                limit=Limit(settings.METERS_READINGS_PER_METER_PER_DAY, datetime.timedelta(days=1)),
                lock_key=f"meters.reading:{meter.pk}",
            )
        except RateLimited as limited:
            raise ReadingRefused(rate_limited_message(limited)) from limited
        reading = Reading.objects.create(
            number=serial_number(prefix=NUMBER_PREFIX, sequence=NUMBER_SEQUENCE, received_at=now),
            meter=meter,
            period=window.period,
            value_t1=values[1],
            value_t2=values.get(2),
            value_t3=values.get(3),
            jump_confirmed=jump_confirmed,
            rollover=rollover,
            source=source,
            user=user,
            entered_by=entered_by,
            ip_address=ip_address,
            submitted_at=now,
        )
        transaction.on_commit(partial(tasks.reading_receipt_send.enqueue, reading_id=reading.pk))
    logger.info(
        "Reading passed: %s meter=%s period=%s source=%s",
        reading.number,
        meter.pk,
        reading.period,
        source,
    )
    return reading


# --- Statuses ---------------------------------------------------------------------------------


def with_status(readings: QuerySet[Reading]) -> QuerySet[Reading]:
    """Readings with what the history shows about each, in the same query: the outcome, the
    batch, and whether a later reading of the same period replaced it."""
    later = Reading.objects.filter(meter=OuterRef("meter"), period=OuterRef("period")).filter(
        Q(submitted_at__gt=OuterRef("submitted_at"))
        | Q(submitted_at=OuterRef("submitted_at"), pk__gt=OuterRef("pk"))
    )
    return readings.select_related("outcome").annotate(replaced=Exists(later))


def reading_status(reading: Reading) -> str:
    """передано → выгружено в биллинг → учтено / не учтено: причина (or replaced)."""
    outcome = getattr(reading, "outcome", None)
    if outcome is not None:
        if outcome.accepted:
            return _("учтено в расчёте за %(month)s") % {
                "month": formats.date_format(outcome.billed_month, "F Y").lower()
            }
        return _("не учтено: %(reason)s") % {"reason": outcome.reason}
    if getattr(reading, "replaced", False):
        return _("заменено более поздним показанием за тот же период")
    if reading.export_batch_id:
        return _("выгружено в биллинг")
    return _("передано")


# --- Export to billing ------------------------------------------------------------------------

EXPORT_COLUMNS = (
    "Номер показания",
    "Лицевой счёт",
    "Заводской номер",
    "Расчётный месяц",
    "Показание Т1",
    "Показание Т2",
    "Показание Т3",
    "Передано",
    "Источник",
    "Выгрузка",
)
_EXPORT_SQL = """
    COPY (
        SELECT DISTINCT ON (r.meter_id, r.period)
            r.number, a.number, m.serial_number, to_char(r.period, 'MM.YYYY'),
            r.value_t1, r.value_t2, r.value_t3,
            to_char(r.submitted_at AT TIME ZONE 'Europe/Moscow', 'DD.MM.YYYY HH24:MI:SS'),
            CASE r.source WHEN 'web' THEN 'ЛК' ELSE 'телефон' END, r.export_batch_id
        FROM meters_reading AS r
        JOIN meters_meter AS m ON m.id = r.meter_id
        JOIN billing_personalaccount AS a ON a.id = m.account_id
        WHERE r.export_batch_id = {batch:d}
        ORDER BY r.meter_id, r.period, r.submitted_at DESC, r.id DESC
    ) TO STDOUT WITH (FORMAT csv, DELIMITER ';')
"""


def export_write(batch: ExportBatch, stream: IO[bytes]) -> None:
    """The batch's file: UTF-8 CSV with `;`, a header row, one row per meter and period (the
    latest reading of the batch; earlier ones were replaced), streamed by COPY."""
    stream.write(("\ufeff" + ";".join(EXPORT_COLUMNS) + "\r\n").encode())
    # The batch number is an integer from our own table; Django's debug cursor takes no
    # parameters for COPY.
    statement = _EXPORT_SQL.format(batch=int(batch.pk))
    with connection.cursor() as cursor, cursor.copy(statement) as copy:
        for data in copy:
            stream.write(bytes(data))


def readings_export(*, created_by=None) -> ExportBatch | None:
    """Put every reading not yet exported into a new batch, in one transaction; None if there
    was nothing to export. Two exports at once queue up on the advisory lock, so no reading
    lands in two batches (the trigger refuses it too)."""
    with transaction.atomic():
        advisory_lock("meters.export")
        if not Reading.objects.not_exported().exists():
            return None
        batch = ExportBatch.objects.create(created_by=created_by)
        count = Reading.objects.not_exported().update(export_batch=batch)
        batch.readings = count
        batch.save(update_fields=["readings"])
    logger.info("Readings exported: batch=%s readings=%s", batch.pk, count)
    return batch


def export_file(batch: ExportBatch) -> bytes:
    """The batch's file in memory, for the admin's download of a small batch."""
    buffer = io.BytesIO()
    export_write(batch, buffer)
    return buffer.getvalue()


# --- History as CSV ---------------------------------------------------------------------------


def history_rows(meter: Meter) -> Iterator[list[str]]:
    """The meter's whole history for the CSV download, header first, read in chunks."""
    yield [
        "Номер",
        "Передано (МСК)",
        "Расчётный месяц",
        *[f"Показание: {meter.zone_name(z)}" for z in meter.zone_numbers],
        "Источник",
        "Состояние",
    ]
    readings = with_status(meter.readings.order_by("-submitted_at", "-pk"))
    for reading in readings.iterator(chunk_size=2000):
        yield [
            reading.number,
            formats.date_format(timezone.localtime(reading.submitted_at), "d.m.Y H:i:s"),
            formats.date_format(reading.period, "m.Y"),
            *[str(meter.shown(reading.value(z)) or "") for z in meter.zone_numbers],
            reading.get_source_display(),
            reading_status(reading),
        ]


# --- Reminders --------------------------------------------------------------------------------


def reminder_recipients(window: ReadingWindow) -> QuerySet:
    """People to remind for `window.period`: holders of open accounts with an open meter read by
    hand that has no reading for the period, with a confirmed address, who have not turned
    reminders off and whose data is not blocked."""
    missing = (
        Meter.objects.active()
        .filter(
            account__status=PersonalAccount.Status.ACTIVE,
            account__links__user=OuterRef("pk"),
            account__links__unlinked_at__isnull=True,
            remote_read=False,
        )
        .exclude(Exists(Reading.objects.filter(meter=OuterRef("pk"), period=window.period)))
    )
    return (
        User.objects.filter(is_active=True, awaiting_email_confirmation=False)
        .filter(Exists(missing))
        .exclude(Exists(ReminderPreference.objects.filter(user=OuterRef("pk"), reminders=False)))
        .exclude(pk__in=personal_data.subject_states().blocked())
    )


def reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Claim one reminder row per person and period, then queue the letters after commit; a
    second run finds the rows taken and sends nothing. Returns how many were queued."""
    window = reading_window(now)
    if not window.is_open or window.today.day < settings.METERS_REMINDER_DAY:
        return 0
    queued = 0
    reminded = ReminderSent.objects.filter(user=OuterRef("pk"), period=window.period)
    recipients = reminder_recipients(window).exclude(Exists(reminded)).values_list("pk", flat=True)
    for user_id in recipients.iterator(chunk_size=1000):
        try:
            with transaction.atomic():
                ReminderSent.objects.create(user_id=user_id, period=window.period)
                transaction.on_commit(
                    partial(
                        tasks.reading_reminder_send.enqueue,
                        user_id=user_id,
                        period=window.period.isoformat(),
                    )
                )
        except IntegrityError:
            continue  # reminded already, by an earlier or a parallel run
        queued += 1
    return queued


def reminders_set(*, user, enabled: bool) -> ReminderPreference:
    preference, _created = ReminderPreference.objects.update_or_create(
        user=user, defaults={"reminders": enabled, "changed_at": timezone.now()}
    )
    return preference
