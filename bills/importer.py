"""Charges and payments from the billing system, as two kinds of file of the exchange engine
(`lkk.exchange`): streamed through COPY into a staging table, checked in SQL, written in one
transaction. Both are idempotent: the same file again changes nothing.

Charges: one row per line of a month (a service in a zone, or a recalculation), the month's
totals repeated on each of its rows. A month is written only whole: if any of its rows is
rejected, the month is skipped (and counted). A month that is already here and arrives with
different content is a correction: the earlier version is kept, marked replaced, and the new one
becomes current; identical content changes nothing. A file may hold any set of months and
accounts (incremental): what it does not mention is left alone.

Payments: one row per payment, keyed by billing's payment number; a changed row is updated
and its earlier values are kept (`PaymentVersion`).
"""

import dataclasses
import datetime
import re
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from typing import BinaryIO

from django.conf import settings
from django.db import transaction
from django.db.backends.utils import CursorWrapper
from django.utils import timezone

from billing.importer import ACCOUNT_NUMBER_ALIASES, parse_account_number
from bills.models import BillsImport, ChargeLine, Payment, VolumeSource, Zone
from lkk.exchange import (
    Column,
    FileKind,
    Progress,
    Rejection,
    StagedCheck,
    exchange_import,
    parse_choice,
    parse_date,
    parse_decimal,
    parse_int,
    parse_month,
    parse_text,
)
from lkk.exchange_upload import RowProgress
from lkk.upload_limits import UploadLimits

ZONE_VALUES = {
    Zone.SINGLE: ("", "круглосуточно", "однотарифный", "одна зона", "сутки", "т0"),
    Zone.DAY: ("день", "дневная", "т1 день"),
    Zone.NIGHT: ("ночь", "ночная", "т2 ночь"),
    Zone.PEAK: ("пик", "пиковая"),
    Zone.SEMIPEAK: ("полупик", "полупиковая"),
}
SOURCE_VALUES = {
    VolumeSource.READINGS: ("показания", "показания потребителя", "по показаниям"),
    VolumeSource.AVERAGE: ("среднее", "среднемесячный", "среднемесячный объём", "по среднему"),
    VolumeSource.NORM: ("норматив", "по нормативу"),
    VolumeSource.CONTROL: ("контрольное снятие", "контроль"),
    VolumeSource.REMOTE: ("ису", "аскуэ", "дистанционно"),
}
KIND_VALUES = {
    ChargeLine.Kind.CHARGE: ("", "начисление"),
    ChargeLine.Kind.RECALCULATION: ("перерасчёт", "перерасчет"),
}
CHANNEL_VALUES = {
    Payment.Channel.BANK: ("банк", "bank"),
    Payment.Channel.POST: ("почта", "post"),
    Payment.Channel.CASH: ("касса", "cash"),
    Payment.Channel.ONLINE: ("онлайн", "интернет", "online"),
}

# Balances, volumes and recalculations may be negative, which the engine's fast path for plain
# numbers does not take: a plain signed number is taken at once here; anything else goes through
# the engine's parser, which gives the reasons for the report.


def signed_decimal(*, places: int, required: bool = True) -> Callable[[object], Decimal | None]:
    slow = parse_decimal(places=places, required=required, minimum=None)
    plain = re.compile(rf"-?\d{{1,9}}(?:[.,]\d{{1,{places}}})?")

    def parse(value: object) -> Decimal | None:
        if type(value) is str and plain.fullmatch(value):
            return Decimal(value.replace(",", "."))
        return slow(value)

    return parse


ACCOUNT_EXISTS = StagedCheck(
    column="number",
    condition="NOT EXISTS (SELECT 1 FROM billing_personalaccount a WHERE a.number = s.number)",
    reason="Такого лицевого счёта нет в реестре: загрузите сначала реестр.",
)
_money = partial(signed_decimal, places=2)

# Totals of the month, repeated on each of its rows; they must agree within a month.
MONTH_TOTALS = ("opening_balance", "paid", "closing_balance", "amount_due", "due_date")


@dataclasses.dataclass
class ImportStats:
    """What the summary shows beyond the engine's row counts (filled in by the upserts)."""

    accounts: int = 0
    months: int = 0
    created: int = 0
    replaced: int = 0
    unchanged: int = 0
    skipped: int = 0
    total: Decimal = Decimal(0)
    new_periods: tuple[datetime.date, ...] = ()


def _upsert_charges(
    cursor: CursorWrapper, *, staging: str, now: datetime.datetime, stats: ImportStats
) -> tuple[int, int]:
    """Months new to the portal are inserted; months whose content changed get a new version
    and the old one is marked replaced; equal months are left alone. Returns (created, replaced)
    counted in months."""
    cursor.execute(
        f"""
        CREATE TEMPORARY TABLE bills_import_months ON COMMIT DROP AS
        SELECT s.number, s.period, min(a.id) AS account_id,
               bool_and(s.valid) AS whole,
               md5(string_agg(concat_ws('|', s.position, s.kind, s.service, s.zone, s.volume,
                   s.source, s.tariff, s.amount, s.reading_start, s.reading_end,
                   s.recalculated_period, s.reason, s.opening_balance, s.paid, s.closing_balance,
                   s.amount_due, s.due_date), E'\\n' ORDER BY s.position)) AS digest,
               coalesce(sum(s.amount), 0) AS charged,
               min(s.opening_balance) AS opening_balance, min(s.paid) AS paid,
               min(s.closing_balance) AS closing_balance, min(s.amount_due) AS amount_due,
               coalesce(min(s.due_date),
                   (s.period + interval '1 month')::date + (%(due_day)s - 1)) AS due_date,
               NULL::integer AS previous_version, NULL::boolean AS changed,
               NULL::bigint AS charge_id
        FROM {staging} s JOIN billing_personalaccount a ON a.number = s.number
        GROUP BY s.number, s.period
        """,  # noqa: S608
        {"due_day": settings.BILLS_DUE_DAY},
    )
    cursor.execute("SELECT count(*) FROM bills_import_months WHERE NOT whole")
    (stats.skipped,) = cursor.fetchone()
    cursor.execute("DELETE FROM bills_import_months WHERE NOT whole")
    cursor.execute("CREATE INDEX ON bills_import_months (account_id, period)")
    cursor.execute("ANALYZE bills_import_months")
    cursor.execute(
        """
        UPDATE bills_import_months m SET previous_version = c.version,
               changed = c.digest <> m.digest
        FROM bills_charge c
        WHERE c.account_id = m.account_id AND c.period = m.period AND c.replaced_at IS NULL
        """
    )
    cursor.execute(
        """
        UPDATE bills_charge c SET replaced_at = %(now)s
        FROM bills_import_months m
        WHERE m.changed AND c.account_id = m.account_id AND c.period = m.period
          AND c.replaced_at IS NULL
        """,
        {"now": now},
    )
    stats.replaced = cursor.rowcount
    # The new rows' ids are drawn first, so that the lines can be joined to them by month.
    cursor.execute(
        """
        UPDATE bills_import_months
        SET charge_id = nextval(pg_get_serial_sequence('bills_charge', 'id'))
        WHERE previous_version IS NULL OR changed
        """
    )
    cursor.execute(
        """
        INSERT INTO bills_charge (id, account_id, period, version, opening_balance, charged,
            paid, closing_balance, amount_due, due_date, digest, imported_at, replaced_at)
        SELECT charge_id, account_id, period, coalesce(previous_version, 0) + 1,
            opening_balance, charged, paid, closing_balance, amount_due, due_date, digest,
            %(now)s, NULL
        FROM bills_import_months WHERE charge_id IS NOT NULL
        """,
        {"now": now},
    )
    cursor.execute(
        f"""
        INSERT INTO bills_chargeline (charge_id, position, kind, service, zone, volume, source,
            tariff, amount, reading_start, reading_end, recalculated_period, reason)
        SELECT m.charge_id, s.position, s.kind, s.service, s.zone, s.volume, s.source,
            s.tariff, s.amount, s.reading_start, s.reading_end, s.recalculated_period,
            s.reason
        FROM {staging} s
        JOIN bills_import_months m ON m.number = s.number AND m.period = s.period
        WHERE m.charge_id IS NOT NULL
        """  # noqa: S608
    )
    cursor.execute(
        """
        SELECT count(DISTINCT account_id), count(*),
               count(*) FILTER (WHERE previous_version IS NULL),
               coalesce(sum(amount_due), 0),
               array_agg(DISTINCT period) FILTER (WHERE previous_version IS NULL)
        FROM bills_import_months
        """
    )
    stats.accounts, stats.months, stats.created, stats.total, new_periods = cursor.fetchone()
    stats.new_periods = tuple(sorted(new_periods or ()))
    stats.unchanged = stats.months - stats.created - stats.replaced
    cursor.execute("DROP TABLE bills_import_months")
    return stats.created, stats.replaced


CHARGES = FileKind(
    name="bills_charges",
    title="начисления",
    columns=(
        Column("number", ACCOUNT_NUMBER_ALIASES, "varchar(20)", parse_account_number, key=True),
        Column(
            "period",
            ("Период", "Расчётный период", "Месяц"),
            "date",
            parse_month(),
            key=True,
        ),
        Column(
            "position",
            ("№ строки", "Номер строки", "Строка"),
            "smallint",
            parse_int(minimum=1, maximum=999),
            key=True,
        ),
        Column(
            "kind",
            ("Вид строки", "Вид"),
            "varchar(6)",
            parse_choice(KIND_VALUES, message="Ожидается «начисление» или «перерасчёт»."),
            required=False,
        ),
        Column("service", ("Услуга",), "text", parse_text(max_length=200)),
        Column(
            "zone",
            ("Зона", "Тарифная зона"),
            "varchar(10)",
            parse_choice(
                ZONE_VALUES,
                message="Неизвестная зона: ожидается «круглосуточно», «день», «ночь», "
                "«пик» или «полупик».",
            ),
            required=False,
        ),
        Column(
            "volume",
            ("Объём", "Объём, кВт·ч", "Расход"),
            "numeric(14,3)",
            signed_decimal(places=3),
        ),
        Column(
            "source",
            ("Источник", "Источник объёма", "Основание"),
            "varchar(10)",
            parse_choice(
                SOURCE_VALUES,
                message="Неизвестный источник объёма: ожидается «показания», «среднее», "
                "«норматив», «контрольное снятие» или «ИСУ».",
            ),
        ),
        Column("tariff", ("Тариф", "Тариф, руб."), "numeric(10,4)", parse_decimal(places=4)),
        Column("amount", ("Сумма", "Начислено"), "numeric(14,2)", _money()),
        Column(
            "reading_start",
            ("Показание начальное", "Предыдущее показание"),
            "numeric(14,3)",
            parse_decimal(places=3, required=False),
            required=False,
        ),
        Column(
            "reading_end",
            ("Показание конечное", "Текущее показание"),
            "numeric(14,3)",
            parse_decimal(places=3, required=False),
            required=False,
        ),
        Column(
            "recalculated_period",
            ("Период перерасчёта", "Пересчитанный месяц"),
            "date",
            parse_month(required=False),
            required=False,
        ),
        Column(
            "reason",
            ("Причина перерасчёта", "Причина"),
            "text",
            parse_text(max_length=500, required=False),
            required=False,
        ),
        Column(
            "opening_balance", ("Сальдо на начало", "Долг на начало"), "numeric(14,2)", _money()
        ),
        Column("paid", ("Оплачено",), "numeric(14,2)", _money()),
        Column("closing_balance", ("Сальдо на конец", "Долг на конец"), "numeric(14,2)", _money()),
        Column("amount_due", ("К оплате",), "numeric(14,2)", parse_decimal(places=2)),
        Column(
            "due_date",
            ("Оплатить до", "Срок оплаты"),
            "date",
            parse_date(required=False),
            required=False,
        ),
    ),
    checks=(
        ACCOUNT_EXISTS,
        StagedCheck(
            column="service",
            condition="s.kind = 'recalc' AND s.recalculated_period IS NULL",
            reason="У перерасчёта должен быть указан пересчитанный месяц.",
        ),
        StagedCheck(
            column="closing_balance",
            condition=f"""EXISTS (SELECT 1 FROM exchange_bills_charges_rows o
                WHERE o.valid AND o.number = s.number AND o.period = s.period
                  AND ({", ".join("o." + c for c in MONTH_TOTALS)})
                      IS DISTINCT FROM ({", ".join("s." + c for c in MONTH_TOTALS)}))""",  # noqa: S608
            reason="Итоги месяца (сальдо, оплачено, к оплате, срок) различаются в строках "
            "одного месяца.",
        ),
    ),
    upsert=_upsert_charges,
    upsert_phase="Запись начислений…",
)


def _upsert_payments(
    cursor: CursorWrapper, *, staging: str, now: datetime.datetime, stats: ImportStats
) -> tuple[int, int]:
    cursor.execute(
        f"SELECT count(DISTINCT number), coalesce(sum(amount), 0) FROM {staging} "  # noqa: S608
        "WHERE valid"
    )
    stats.accounts, stats.total = cursor.fetchone()
    # A payment re-sent with other values: its values so far are kept before they change.
    cursor.execute(
        f"""
        INSERT INTO bills_paymentversion
            (payment_id, account_id, paid_on, amount, channel, period, imported_at, replaced_at)
        SELECT p.id, p.account_id, p.paid_on, p.amount, p.channel, p.period, p.imported_at,
            %(now)s
        FROM {staging} s
        JOIN bills_payment p ON p.external_id = s.external_id
        JOIN billing_personalaccount a ON a.number = s.number
        WHERE s.valid AND (p.account_id, p.paid_on, p.amount, p.channel, p.period)
            IS DISTINCT FROM (a.id, s.paid_on, s.amount, s.channel, s.period)
        """,  # noqa: S608
        {"now": now},
    )
    cursor.execute(
        f"""
        WITH upserted AS (
            INSERT INTO bills_payment AS p
                (account_id, external_id, paid_on, amount, channel, period, imported_at)
            SELECT a.id, s.external_id, s.paid_on, s.amount, s.channel, s.period, %(now)s
            FROM {staging} s JOIN billing_personalaccount a ON a.number = s.number
            WHERE s.valid
            ON CONFLICT (external_id) DO UPDATE SET
                account_id = EXCLUDED.account_id, paid_on = EXCLUDED.paid_on,
                amount = EXCLUDED.amount, channel = EXCLUDED.channel,
                period = EXCLUDED.period, imported_at = EXCLUDED.imported_at
            WHERE (p.account_id, p.paid_on, p.amount, p.channel, p.period) IS DISTINCT FROM
                (EXCLUDED.account_id, EXCLUDED.paid_on, EXCLUDED.amount, EXCLUDED.channel,
                 EXCLUDED.period)
            -- xmax is 0 in a row this statement inserted, set in one it updated.
            RETURNING p.xmax = 0 AS created
        )
        SELECT count(*) FILTER (WHERE created), count(*) FILTER (WHERE NOT created)
        FROM upserted
        """,  # noqa: S608
        {"now": now},
    )
    created, updated = cursor.fetchone()
    return created, updated


PAYMENTS = FileKind(
    name="bills_payments",
    title="платежи",
    columns=(
        Column(
            "external_id",
            ("Номер платежа", "ID платежа", "Платёж"),
            "varchar(40)",
            parse_text(max_length=40),
            key=True,
        ),
        Column("number", ACCOUNT_NUMBER_ALIASES, "varchar(20)", parse_account_number),
        Column("paid_on", ("Дата платежа", "Дата"), "date", parse_date()),
        Column("amount", ("Сумма",), "numeric(14,2)", parse_decimal(places=2)),
        Column(
            "channel",
            ("Способ", "Канал", "Способ оплаты"),
            "varchar(10)",
            parse_choice(
                CHANNEL_VALUES,
                message="Неизвестный способ оплаты: ожидается «банк», «почта», «касса» или "
                "«онлайн».",
            ),
        ),
        Column("period", ("Зачтён за", "Период"), "date", parse_month()),
    ),
    checks=(ACCOUNT_EXISTS,),
    upsert=_upsert_payments,
    upsert_phase="Запись платежей…",
)


def _started(kind: str, file_name: str, record: BillsImport | None) -> BillsImport:
    """The run's record: an uploaded file's own (claimed by its task), or a new one."""
    if record is not None:
        return record
    return BillsImport.objects.create(kind=kind, file_name=file_name[:255])


def _failed(record: BillsImport, error: Exception) -> None:
    record.status, record.finished_at = BillsImport.Status.FAILED, timezone.now()
    record.message = str(error)[:2000]
    record.save(update_fields=["status", "finished_at", "message"])


def _done(record: BillsImport, *, rows: int, rejected: int, stats: ImportStats) -> BillsImport:
    record.status, record.finished_at = BillsImport.Status.DONE, timezone.now()
    record.phase, record.percent = "", 100
    record.rows_read, record.rejected = rows, rejected
    record.accounts, record.total = stats.accounts, stats.total
    record.created, record.replaced, record.unchanged = (
        stats.created,
        stats.replaced,
        stats.unchanged,
    )
    record.message = (
        f"Месяцев пропущено из-за отклонённых строк: {stats.skipped}." if stats.skipped else ""
    )
    # Not the whole row: an uploaded file's content stays out of this write.
    record.save(
        update_fields=[
            "status",
            "finished_at",
            "phase",
            "percent",
            "rows_read",
            "rejected",
            "accounts",
            "total",
            "created",
            "replaced",
            "unchanged",
            "message",
        ]
    )
    return record


def charges_import(
    source: BinaryIO,
    *,
    file_name: str = "",
    on_reject: Callable[[Rejection], None] = lambda rejection: None,
    progress: Progress | None = None,
    record: BillsImport | None = None,
    limits: UploadLimits | None = None,
) -> BillsImport:
    """Import a charges file; the run and its summary are kept as a `BillsImport` (`record`,
    if the run has one already: an upload's), its progress written there as it goes. The
    month's receipt letters are queued after commit for every month new to the portal (never
    for a correction: a person gets one letter per month). `limits`: for a file uploaded by
    staff (`lkk.upload_limits`)."""
    from bills.services import receipt_letters_start_on_commit

    record = _started(BillsImport.Kind.CHARGES, file_name, record)
    stats = ImportStats()
    kind = dataclasses.replace(CHARGES, upsert=partial(_upsert_charges, stats=stats))
    recorded = RowProgress(BillsImport._meta.db_table, record.pk, inner=progress)
    try:
        with transaction.atomic():
            summary = exchange_import(
                kind, source, on_reject=on_reject, progress=recorded, limits=limits
            )
            for period in stats.new_periods:
                receipt_letters_start_on_commit(period=period)
    except Exception as error:
        _failed(record, error)
        raise
    finally:
        recorded.close()
    return _done(record, rows=summary.rows, rejected=summary.rejected, stats=stats)


def payments_import(
    source: BinaryIO,
    *,
    file_name: str = "",
    on_reject: Callable[[Rejection], None] = lambda rejection: None,
    progress: Progress | None = None,
    record: BillsImport | None = None,
    limits: UploadLimits | None = None,
) -> BillsImport:
    """Import a payments file, kept as a `BillsImport` as `charges_import` does."""
    record = _started(BillsImport.Kind.PAYMENTS, file_name, record)
    stats = ImportStats()
    kind = dataclasses.replace(PAYMENTS, upsert=partial(_upsert_payments, stats=stats))
    recorded = RowProgress(BillsImport._meta.db_table, record.pk, inner=progress)
    try:
        summary = exchange_import(
            kind, source, on_reject=on_reject, progress=recorded, limits=limits
        )
    except Exception as error:
        _failed(record, error)
        raise
    finally:
        recorded.close()
    stats.created, stats.replaced, stats.unchanged = (
        summary.created,
        summary.updated,
        summary.unchanged,
    )
    return _done(record, rows=summary.rows, rejected=summary.rejected, stats=stats)
