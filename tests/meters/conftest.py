"""Alice holds an account with meters; the clock stands where each test puts it."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from billing.models import AccountLink, PersonalAccount
from meters.models import Meter, MonthlyVolume, Tariff, TariffCategory

MSK = ZoneInfo("Europe/Moscow")


def moscow(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, second, tzinfo=MSK)


@pytest.fixture
def clock(monkeypatch):
    """`clock(moscow(2026, 12, 20, 12))` sets the app's time; by default inside the window."""

    def set_to(moment: datetime.datetime) -> datetime.datetime:
        monkeypatch.setattr("meters.window.current_time", lambda: moment)
        monkeypatch.setattr("meters.services.current_time", lambda: moment)
        return moment

    set_to(moscow(2026, 12, 20, 12, 0))
    return set_to


@pytest.fixture
def account(db) -> PersonalAccount:
    return PersonalAccount.objects.create(
        number="1000000001",
        holder_name="Иванова А. П.",
        address="Московская обл., г. Ивантеевка, ул. Толмачёва, д. 5, кв. 12",
    )


@pytest.fixture
def holding(alice, account) -> AccountLink:
    """Alice holds the account now."""
    return AccountLink.objects.create(user=alice, account=account, factor="surname")


@pytest.fixture
def make_meter(account):
    def make(**fields) -> Meter:
        defaults = {
            "account": account,
            "serial_number": "38124577",
            "zones": 2,
            "digits": 6,
            "decimals": 1,
            "last_value_t1": Decimal("12000.0"),
            "last_value_t2": Decimal("5000.0"),
            "last_value_date": datetime.date(2026, 11, 20),
            "verification_due": datetime.date(2030, 1, 1),
        }
        return Meter.objects.create(**{**defaults, **fields})

    return make


@pytest.fixture
def meter(make_meter) -> Meter:
    """A two-zone meter (день/ночь), 6 digits and 1 decimal; last accepted 12000.0 / 5000.0."""
    return make_meter()


@pytest.fixture
def tariffs(db) -> None:
    for zone, price in ((1, "9.3400"), (2, "3.8900")):
        Tariff.objects.create(
            category=TariffCategory.URBAN,
            zones=2,
            zone=zone,
            price=Decimal(price),
            valid_from=datetime.date(2026, 7, 1),
        )
    # An old price that no longer applies.
    Tariff.objects.create(
        category=TariffCategory.URBAN,
        zones=2,
        zone=1,
        price=Decimal("1.0000"),
        valid_from=datetime.date(2025, 7, 1),
        valid_to=datetime.date(2026, 6, 30),
    )


@pytest.fixture
def usual_months(meter) -> None:
    """A year of billed months: 200 kWh by day, 100 by night on average."""
    month = datetime.date(2025, 12, 1)
    for _ in range(12):
        MonthlyVolume.objects.create(
            meter=meter, month=month, source="consumer", volume_t1=200, volume_t2=100
        )
        month = (month + datetime.timedelta(days=32)).replace(day=1)
