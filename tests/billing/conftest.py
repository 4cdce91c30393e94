"""Accounts in the registry, and ways to make billing exports."""

import csv
import io

import pytest

from billing.models import PersonalAccount


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "slow: a large data set (deselect with -m 'not slow'); runs by default"
    )


@pytest.fixture
def make_account():
    def make(
        number: str = "1000000001",
        *,
        holder_name: str = "Королёва Н. С.",
        meter_number: str = "011-552 146",
        address: str = "Московская обл., г. Ивантеевка, ул. Толмачёва, д. 5, кв. 12",
        status: str = PersonalAccount.Status.ACTIVE,
    ) -> PersonalAccount:
        return PersonalAccount.objects.create(
            number=number,
            holder_name=holder_name,
            meter_number=meter_number,
            address=address,
            status=status,
        )

    return make


@pytest.fixture
def account(make_account) -> PersonalAccount:
    """Alice's own account, as the billing system knows it."""
    return make_account()


@pytest.fixture
def write_csv(tmp_path):
    """A billing export as CSV, in the encoding and with the delimiter given."""

    def write(
        rows: list[list[str]],
        *,
        header: tuple[str, ...] = ("Лицевой счёт", "Адрес", "ФИО", "Номер счётчика", "Статус"),
        encoding: str = "utf-8",
        delimiter: str = ";",
        name: str = "export.csv",
    ):
        text = io.StringIO()
        writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
        path = tmp_path / name
        path.write_bytes(text.getvalue().encode(encoding))
        return path

    return write
