"""Demo charges and payments for `make run`: the demo consumer's account gets 24 months with a
two-zone meter, one recalculation, one corrected month, one month paid late and a current amount
due. Idempotent: the demo account's bills are made afresh on every run."""

import datetime
from decimal import Decimal

from django.conf import settings

from billing.models import AccountLink, PersonalAccount
from bills.models import (
    Charge,
    ChargeLine,
    ElectronicReceiptChoice,
    Payment,
    VolumeSource,
    Zone,
    month_end,
)
from workcalendar.terms import moscow_date

MONTHS = 24
TARIFFS = {Zone.DAY: Decimal("8.34"), Zone.NIGHT: Decimal("3.27")}
SERVICE = "Электроэнергия"


def _add_months(period: datetime.date, months: int) -> datetime.date:
    index = period.year * 12 + period.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def due_date_for(period: datetime.date) -> datetime.date:
    return _add_months(period, 1).replace(day=settings.BILLS_DUE_DAY)


def demo_account_for(consumer) -> PersonalAccount:
    """The consumer's linked account, or the second demo account linked to them now."""
    link = AccountLink.objects.active().filter(user=consumer).select_related("account").first()
    if link is not None:
        return link.account
    account = PersonalAccount.objects.filter(status=PersonalAccount.Status.ACTIVE).order_by(
        "number"
    )[1]
    AccountLink.objects.active().filter(account=account).delete()
    AccountLink.objects.create(user=consumer, account=account, factor=AccountLink.Factor.SURNAME)
    return account


def seed_bills(*, consumer, today: datetime.date | None = None) -> PersonalAccount:
    today = today or moscow_date(datetime.datetime.now(datetime.UTC))
    account = demo_account_for(consumer)
    ChargeLine.objects.filter(charge__account=account).delete()
    Charge.objects.filter(account=account).delete()
    Payment.objects.filter(account=account).delete()
    last = _add_months(today.replace(day=1), -1)
    periods = [_add_months(last, -offset) for offset in range(MONTHS - 1, -1, -1)]
    late_month = periods[-9]  # paid after its due date
    recalculated = periods[-4]  # recalculated in the month after it
    corrected = periods[-2]  # re-sent corrected by billing: two versions
    reading = {Zone.DAY: Decimal(10_412), Zone.NIGHT: Decimal(4_230)}
    balance = Decimal(0)
    replaced_at = datetime.datetime.now(datetime.UTC)
    for index, period in enumerate(periods):
        winter = period.month in (11, 12, 1, 2, 3)
        volumes = {
            Zone.DAY: Decimal(190 + (60 if winter else 0) + index % 5 * 7),
            Zone.NIGHT: Decimal(85 + (25 if winter else 0) + index % 3 * 4),
        }
        source = VolumeSource.AVERAGE if period == recalculated else VolumeSource.READINGS
        lines = []
        for position, zone in enumerate((Zone.DAY, Zone.NIGHT), start=1):
            start = reading[zone]
            reading[zone] += volumes[zone]
            lines.append(
                ChargeLine(
                    position=position,
                    service=SERVICE,
                    zone=zone,
                    volume=volumes[zone],
                    source=source,
                    tariff=TARIFFS[zone],
                    amount=(volumes[zone] * TARIFFS[zone]).quantize(Decimal("0.01")),
                    reading_start=None if source == VolumeSource.AVERAGE else start,
                    reading_end=None if source == VolumeSource.AVERAGE else reading[zone],
                )
            )
        if index and periods[index - 1] == recalculated:
            lines.append(
                ChargeLine(
                    position=3,
                    kind=ChargeLine.Kind.RECALCULATION,
                    service=SERVICE,
                    zone=Zone.DAY,
                    volume=Decimal(-24),
                    source=VolumeSource.READINGS,
                    tariff=TARIFFS[Zone.DAY],
                    amount=Decimal(-24) * TARIFFS[Zone.DAY],
                    recalculated_period=recalculated,
                    reason="Показания переданы после расчёта: объём пересчитан по показаниям "
                    "вместо среднемесячного.",
                )
            )
        charged = sum((line.amount for line in lines), Decimal(0))
        paid = sum(
            (
                payment.amount
                for payment in Payment.objects.filter(
                    account=account, paid_on__range=(period, month_end(period))
                )
            ),
            Decimal(0),
        )
        closing = balance + charged - paid
        versions = [Decimal("1.00"), Decimal(0)] if period == corrected else [Decimal(0)]
        for version, extra in enumerate(versions, start=1):
            charge = Charge.objects.create(
                account=account,
                period=period,
                version=version,
                opening_balance=balance,
                charged=charged + extra,
                paid=paid,
                closing_balance=closing + extra,
                amount_due=max(closing + extra, Decimal(0)),
                due_date=due_date_for(period),
                digest=f"demo-{version}",
                replaced_at=None if version == len(versions) else replaced_at,
            )
            if version == 1 and len(versions) > 1:
                lines_v1 = [ChargeLine(**{**_fields(line), "charge": charge}) for line in lines]
                lines_v1[0].amount += extra
                ChargeLine.objects.bulk_create(lines_v1)
            else:
                for line in lines:
                    line.charge = charge
                ChargeLine.objects.bulk_create(lines)
        balance = closing
        if period != periods[-1]:
            paid_on = (
                due_date_for(period) + datetime.timedelta(days=13)
                if period == late_month
                else _add_months(period, 1).replace(day=8)
            )
            Payment.objects.create(
                account=account,
                external_id=f"DEMO-{account.number}-{period:%Y%m}",
                paid_on=paid_on,
                amount=max(closing, Decimal(0)),
                channel=(Payment.Channel.ONLINE, Payment.Channel.BANK, Payment.Channel.POST)[
                    index % 3
                ],
                period=period,
            )
    ElectronicReceiptChoice.objects.filter(account=account, user=consumer).delete()
    return account


def _fields(line: ChargeLine) -> dict:
    return {
        field.name: getattr(line, field.name)
        for field in ChargeLine._meta.concrete_fields
        if field.name not in ("id", "charge")
    }
