"""Charges and payments imports: idempotent, incremental, corrections kept as history."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from billing.models import PersonalAccount
from bills.importer import charges_import, payments_import
from bills.models import BillsImport, Charge, ChargeLine, Payment, PaymentVersion
from tests.bills.conftest import charges_file, month_rows

pytestmark = pytest.mark.django_db

NOVEMBER = datetime.date(2026, 11, 1)


@pytest.fixture
def accounts(account):
    PersonalAccount.objects.create(number="1000000002", holder_name="Б. Б.", address="г. Пушкино")
    return account


def test_a_month_is_imported_with_its_lines_and_a_summary(accounts):
    record = charges_import(
        charges_file(month_rows("1000000001", "11.2026") + month_rows("1000000002", "11.2026")),
        file_name="charges-2026-11.csv",
    )

    charge = Charge.objects.current().get(account=accounts, period=NOVEMBER)
    assert (charge.version, charge.charged, charge.amount_due) == (
        1,
        Decimal("1995.00"),
        Decimal("1995.00"),
    )
    assert charge.due_date == datetime.date(2026, 12, 15)
    day = charge.lines.get(position=1)
    assert (day.zone, day.source, day.reading_end) == ("day", "readings", Decimal(15200))
    assert (record.status, record.accounts, record.total, record.created, record.rejected) == (
        BillsImport.Status.DONE,
        2,
        Decimal("3990.00"),
        2,
        0,
    )


def test_the_same_file_again_changes_nothing(accounts):
    rows = month_rows("1000000001", "11.2026")
    charges_import(charges_file(rows))
    first = Charge.objects.get()

    record = charges_import(charges_file(rows))

    assert Charge.objects.get() == first
    assert (record.created, record.replaced, record.unchanged) == (0, 0, 1)


def test_a_corrected_month_replaces_the_earlier_version_which_is_kept(accounts):
    charges_import(charges_file(month_rows("1000000001", "11.2026")))

    record = charges_import(charges_file(month_rows("1000000001", "11.2026", day_amount="1500,00")))

    current = Charge.objects.current().get(period=NOVEMBER)
    earlier = Charge.objects.exclude(pk=current.pk).get(period=NOVEMBER)
    assert (current.version, current.charged) == (2, Decimal("1827.00"))
    assert (earlier.version, earlier.charged) == (1, Decimal("1995.00"))
    assert earlier.replaced_at is not None
    assert earlier.lines.get(position=1).amount == Decimal("1668.00")
    assert current.lines.get(position=1).amount == Decimal("1500.00")
    assert record.replaced == 1


def test_a_file_touches_only_the_months_it_holds(accounts):
    charges_import(charges_file(month_rows("1000000001", "10.2026")))

    charges_import(charges_file(month_rows("1000000001", "11.2026")))

    assert Charge.objects.current().count() == 2


def test_a_month_with_a_rejected_row_is_not_written_half(accounts):
    rows = month_rows("1000000001", "11.2026")
    rows[1][6] = "много"  # the night volume
    rejected = []

    record = charges_import(charges_file(rows), on_reject=rejected.append)

    assert not Charge.objects.exists()
    assert [(r.row, r.column, r.reason) for r in rejected] == [(3, "Объём", "Ожидается число.")]
    assert "Месяцев пропущено из-за отклонённых строк: 1." in record.message


def test_rows_of_an_unknown_account_are_rejected(accounts):
    rejected = []

    charges_import(charges_file(month_rows("1000000009", "11.2026")), on_reject=rejected.append)

    assert not Charge.objects.exists()
    assert {r.reason for r in rejected} == {
        "Такого лицевого счёта нет в реестре: загрузите сначала реестр."
    }


def test_totals_that_disagree_within_a_month_reject_it(accounts):
    rows = month_rows("1000000001", "11.2026")
    rows[1][16] = "1,00"  # closing balance on the second row

    rejected = []
    charges_import(charges_file(rows), on_reject=rejected.append)

    assert not Charge.objects.exists()
    assert len(rejected) == 2


def test_the_due_day_is_a_setting(accounts, settings):
    settings.BILLS_DUE_DAY = 10

    charges_import(charges_file(month_rows("1000000001", "12.2026")))

    assert Charge.objects.get().due_date == datetime.date(2027, 1, 10)


def test_a_recalculation_keeps_its_month_and_reason(accounts):
    rows = month_rows("1000000001", "11.2026")
    rows.append(
        ["1000000001", "11.2026", "3", "перерасчёт", "Электроэнергия", "день", "-10",
         "показания", "8,34", "-83,40", "", "", "10.2026", "Показания переданы после расчёта",
         *rows[0][14:]]
    )  # fmt: skip

    charges_import(charges_file(rows))

    line = ChargeLine.objects.get(position=3)
    assert line.kind == ChargeLine.Kind.RECALCULATION
    assert line.recalculated_period == datetime.date(2026, 10, 1)
    assert Charge.objects.get().charged == Decimal("1911.60")


PAYMENTS = (
    "Номер платежа;Лицевой счёт;Дата платежа;Сумма;Способ;Зачтён за\r\n"
    "П-1;1000000001;08.11.2026;1995,00;банк;10.2026\r\n"
    "П-2;1000000002;09.11.2026;100,50;онлайн;10.2026\r\n"
)


def test_payments_are_idempotent_and_a_changed_one_is_updated(accounts):
    first = payments_import(io.BytesIO(PAYMENTS.encode()))
    again = payments_import(io.BytesIO(PAYMENTS.encode()))
    changed = payments_import(io.BytesIO(PAYMENTS.replace("100,50", "100,60").encode()))

    assert (first.created, first.accounts, first.total) == (2, 2, Decimal("2095.50"))
    assert (again.created, again.replaced, again.unchanged) == (0, 0, 2)
    assert (changed.created, changed.replaced) == (0, 1)
    payment = Payment.objects.get(external_id="П-2")
    assert (payment.amount, payment.channel, payment.period) == (
        Decimal("100.60"),
        Payment.Channel.ONLINE,
        datetime.date(2026, 10, 1),
    )


def test_a_corrected_payment_keeps_its_earlier_values_as_evidence(accounts):
    payments_import(io.BytesIO(PAYMENTS.encode()))
    payments_import(io.BytesIO(PAYMENTS.encode()))  # the same again: nothing to keep
    payments_import(io.BytesIO(PAYMENTS.replace("100,50", "100,60").encode()))
    corrected = PAYMENTS.replace("100,50", "100,60").replace("09.11.2026", "10.11.2026")
    payments_import(io.BytesIO(corrected.encode()))

    payment = Payment.objects.get(external_id="П-2")
    assert (payment.amount, payment.paid_on) == (Decimal("100.60"), datetime.date(2026, 11, 10))
    earlier = list(
        payment.earlier_versions.order_by("pk").values_list("amount", "paid_on", "channel")
    )
    assert earlier == [
        (Decimal("100.50"), datetime.date(2026, 11, 9), Payment.Channel.ONLINE),
        (Decimal("100.60"), datetime.date(2026, 11, 9), Payment.Channel.ONLINE),
    ]
    assert all(version.replaced_at for version in payment.earlier_versions.all())
    assert not PaymentVersion.objects.exclude(payment=payment).exists()


def test_the_commands_print_a_summary_and_write_the_report(accounts, tmp_path, capsys):
    rows = month_rows("1000000001", "11.2026") + month_rows("1000000009", "11.2026")
    source = tmp_path / "charges.csv"
    source.write_bytes(charges_file(rows).getvalue())
    report = tmp_path / "rejected.csv"

    call_command("import_charges", str(source), "--report", str(report))

    out = capsys.readouterr().out.replace("\u00a0", " ")
    assert "Счетов: 1, сумма: 1 995,00 ₽. Новых месяцев: 1" in out
    assert "Отклонено строк: 2." in out
    assert report.read_text(encoding="utf-8-sig").count("Такого лицевого счёта нет") == 2


@pytest.mark.django_db(transaction=True)
def test_staff_see_the_progress_while_the_import_is_still_running(accounts):
    seen = []

    class Watcher:
        """Looks at the import's record from outside, as the admin would, mid-import."""

        def rows_read(self, rows: int, fraction: float | None) -> None:
            pass

        def phase(self, message: str) -> None:
            record = BillsImport.objects.get()
            seen.append((record.status, record.rows_read, record.percent))

    charges_import(charges_file(month_rows("1000000001", "11.2026")), progress=Watcher())

    # Read to the end; 100 % is the finished import.
    assert seen == [(BillsImport.Status.RUNNING, 2, 99)]
    finished = BillsImport.objects.get()
    assert (finished.phase, finished.percent) == ("", 100)
