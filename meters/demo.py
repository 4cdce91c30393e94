"""Demo meters for `make run`: the demo consumer holds a лицевой счёт with a two-zone meter,
24 months of readings passed through the portal, their outcomes (a few «не учтено») and the
monthly volumes, plus this year's tariffs. Idempotent: a second run adds nothing."""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from billing.models import AccountLink, PersonalAccount
from lkk.db import serial_number
from meters.models import (
    ExportBatch,
    Meter,
    MonthlyVolume,
    Reading,
    ReadingOutcome,
    Tariff,
    TariffCategory,
    VolumeSource,
)
from meters.services import NUMBER_PREFIX, NUMBER_SEQUENCE
from meters.window import previous_month, reading_window

DEMO_MONTHS = 24
DEMO_SERIAL = "38124577"
# (category, zones, zone) → ₽ per kWh, Московская область, from 1 July of the current year.
DEMO_PRICES = {
    (TariffCategory.URBAN, 1, 1): Decimal("8.1200"),
    (TariffCategory.URBAN, 2, 1): Decimal("9.3400"),
    (TariffCategory.URBAN, 2, 2): Decimal("3.8900"),
    (TariffCategory.URBAN, 3, 1): Decimal("9.7400"),
    (TariffCategory.URBAN, 3, 2): Decimal("3.8900"),
    (TariffCategory.URBAN, 3, 3): Decimal("8.1200"),
    (TariffCategory.ELECTRIC_STOVE, 1, 1): Decimal("5.6800"),
    (TariffCategory.ELECTRIC_STOVE, 2, 1): Decimal("6.5400"),
    (TariffCategory.ELECTRIC_STOVE, 2, 2): Decimal("2.7200"),
}
NOT_COUNTED = {
    5: "показания поступили после закрытия расчётного периода",
    14: "показания меньше данных контрольного снятия",
}


def seed_tariffs(today: datetime.date) -> None:
    valid_from = datetime.date(today.year if today.month >= 7 else today.year - 1, 7, 1)
    for (category, zones, zone), price in DEMO_PRICES.items():
        Tariff.objects.get_or_create(
            category=category,
            zones=zones,
            zone=zone,
            valid_from=valid_from,
            defaults={"price": price},
        )


def seed_meters(*, consumer) -> str:
    """Link the consumer to a demo account with a meter and its history; returns the number."""
    window = reading_window()
    seed_tariffs(window.today)
    account = (
        PersonalAccount.objects.filter(status=PersonalAccount.Status.ACTIVE)
        .order_by("number")[1:2]
        .get()
    )
    if not AccountLink.objects.active().filter(account=account).exists():
        AccountLink.objects.create(user=consumer, account=account, factor=AccountLink.Factor.METER)
    meter, created = Meter.objects.get_or_create(
        account=account,
        serial_number=DEMO_SERIAL,
        defaults={
            "model": "Меркурий 201.8 TLO",
            "zones": 2,
            "digits": 6,
            "decimals": 1,
            "installed_on": window.today.replace(year=window.today.year - 6, day=1),
            "verification_due": window.today + datetime.timedelta(days=60),
        },
    )
    if not created or meter.readings.exists():
        return account.number
    rng = random.Random(2026)  # noqa: S311 — demo data: the same history on every run
    months = [previous_month(window.period)]
    while len(months) < DEMO_MONTHS:
        months.append(previous_month(months[-1]))
    months.reverse()
    values = {1: Decimal("10431.0"), 2: Decimal("4120.0")}
    last_accepted = dict(values)
    last_date = None
    for index, month in enumerate(months):
        winter = month.month in (11, 12, 1, 2, 3)
        used = {
            1: Decimal(rng.randint(170, 260) + (80 if winter else 0)),
            2: Decimal(rng.randint(80, 140) + (40 if winter else 0)),
        }
        for zone in values:
            values[zone] += used[zone]
        moment = timezone.make_aware(datetime.datetime(month.year, month.month, 19, 19, 30))
        batch = ExportBatch.objects.create(
            created_at=moment + datetime.timedelta(days=7), readings=1
        )
        reading = Reading.objects.create(
            number=serial_number(
                prefix=NUMBER_PREFIX, sequence=NUMBER_SEQUENCE, received_at=moment
            ),
            meter=meter,
            period=month,
            value_t1=values[1],
            value_t2=values[2],
            source=Reading.Source.WEB,
            user=consumer,
            ip_address="192.0.2.15",
            submitted_at=moment,
            export_batch=batch,
        )
        reason = NOT_COUNTED.get(index)
        ReadingOutcome.objects.create(
            reading=reading,
            accepted=reason is None,
            billed_month=None if reason else month,
            reason=reason or "",
        )
        if reason:
            average = {zone: Decimal(200 if zone == 1 else 100) for zone in values}
            MonthlyVolume.objects.create(
                meter=meter,
                month=month,
                source=VolumeSource.AVERAGE,
                volume_t1=average[1],
                volume_t2=average[2],
            )
            continue
        MonthlyVolume.objects.create(
            meter=meter,
            month=month,
            source=VolumeSource.CONSUMER,
            volume_t1=values[1] - last_accepted[1],
            volume_t2=values[2] - last_accepted[2],
        )
        last_accepted = dict(values)
        last_date = moment.date()
    meter.last_value_t1, meter.last_value_t2 = last_accepted[1], last_accepted[2]
    meter.last_value_date = last_date
    meter.save()
    return account.number
