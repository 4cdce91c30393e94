"""The billing system's files about meters, as kinds of file of the exchange engine
(`lkk.exchange`): meters per лицевой счёт, tariffs, the outcome of each reading we passed, and the
volume billed per meter and month. Formats are documented in README.md («Обмен с биллингом»).
"""

from dataclasses import replace
from datetime import datetime

from django.db.backends.utils import CursorWrapper

from billing.importer import ACCOUNT_NUMBER_ALIASES, parse_account_number
from lkk.exchange import (
    Column,
    FileKind,
    StagedCheck,
    parse_bool,
    parse_choice,
    parse_date,
    parse_decimal,
    parse_int,
    parse_month,
    parse_text,
)
from meters.models import VALUE_DECIMALS, Meter, TariffCategory, VolumeSource

_ACCOUNT = Column(
    "account_number", ACCOUNT_NUMBER_ALIASES, "varchar(20)", parse_account_number, key=True
)
_SERIAL = Column(
    "serial_number",
    ("Заводской номер", "Номер счётчика", "Зав. номер", "Заводской номер счётчика", "Serial"),
    "varchar(50)",
    parse_text(max_length=50),
    key=True,
)
_ZONES = Column(
    "zones",
    ("Зон", "Тарифных зон", "Число зон", "Zones"),
    "smallint",
    parse_int(minimum=1, maximum=3),
)


def _value(zone: int, *, required: bool = False) -> Column:
    return Column(
        f"last_value_t{zone}",
        (f"Показание Т{zone}", f"Т{zone}", f"T{zone}"),
        "numeric(12,3)",
        parse_decimal(places=VALUE_DECIMALS, required=required),
        required=False,
    )


_CATEGORY_WORDS = {
    TariffCategory.URBAN: ("город", "городское", "городское население", "urban", ""),
    TariffCategory.ELECTRIC_STOVE: ("электроплиты", "с электроплитами", "electric_stove"),
    TariffCategory.RURAL: ("село", "сельское", "сельское население", "rural"),
}
_CATEGORY = Column(
    "tariff_category",
    ("Категория", "Категория потребителя", "Category"),
    "varchar(20)",
    parse_choice(
        _CATEGORY_WORDS,
        message="Неизвестная категория: ожидается «город», «электроплиты» или «село».",
    ),
    required=False,
)


# --- Meters -----------------------------------------------------------------------------------


def _meters_upsert(cursor: CursorWrapper, *, staging: str, now: datetime) -> tuple[int, int]:
    cursor.execute(
        f"""
        WITH upserted AS (
            INSERT INTO meters_meter AS meter (
                account_id, serial_number, model, zones, digits, decimals, tariff_category,
                installed_on, verification_due, remote_read, status,
                last_value_t1, last_value_t2, last_value_t3, last_value_date,
                created_at, imported_at
            )
            SELECT account.id, s.serial_number, s.model, s.zones, s.digits, s.decimals,
                   s.tariff_category, s.installed_on, s.verification_due, s.remote_read, s.status,
                   s.last_value_t1, s.last_value_t2, s.last_value_t3, s.last_value_date,
                   %(now)s, %(now)s
            FROM {staging} AS s
            JOIN billing_personalaccount AS account ON account.number = s.account_number
            WHERE s.valid
            ON CONFLICT (account_id, serial_number) DO UPDATE SET
                model = EXCLUDED.model, zones = EXCLUDED.zones, digits = EXCLUDED.digits,
                decimals = EXCLUDED.decimals, tariff_category = EXCLUDED.tariff_category,
                installed_on = EXCLUDED.installed_on,
                verification_due = EXCLUDED.verification_due,
                remote_read = EXCLUDED.remote_read, status = EXCLUDED.status,
                last_value_t1 = EXCLUDED.last_value_t1, last_value_t2 = EXCLUDED.last_value_t2,
                last_value_t3 = EXCLUDED.last_value_t3,
                last_value_date = EXCLUDED.last_value_date, imported_at = EXCLUDED.imported_at
            WHERE (meter.model, meter.zones, meter.digits, meter.decimals, meter.tariff_category,
                   meter.installed_on, meter.verification_due, meter.remote_read, meter.status,
                   meter.last_value_t1, meter.last_value_t2, meter.last_value_t3,
                   meter.last_value_date)
                IS DISTINCT FROM
                  (EXCLUDED.model, EXCLUDED.zones, EXCLUDED.digits, EXCLUDED.decimals,
                   EXCLUDED.tariff_category, EXCLUDED.installed_on, EXCLUDED.verification_due,
                   EXCLUDED.remote_read, EXCLUDED.status, EXCLUDED.last_value_t1,
                   EXCLUDED.last_value_t2, EXCLUDED.last_value_t3, EXCLUDED.last_value_date)
            RETURNING meter.created_at = %(now)s AS created
        )
        SELECT count(*) FILTER (WHERE created), count(*) FILTER (WHERE NOT created)
        FROM upserted
        """,  # noqa: S608
        {"now": now},
    )
    created, updated = cursor.fetchone()
    return created, updated


def _meters_close_missing(cursor: CursorWrapper, *, staging: str, now: datetime) -> int:
    cursor.execute(
        f"""
        UPDATE meters_meter AS meter SET status = %(closed)s, imported_at = %(now)s
        FROM billing_personalaccount AS account
        WHERE account.id = meter.account_id AND meter.status = %(active)s
          AND NOT EXISTS (
              SELECT 1 FROM {staging} AS s
              WHERE s.account_number = account.number AND s.serial_number = meter.serial_number
          )
        """,  # noqa: S608
        {"now": now, "closed": Meter.Status.CLOSED, "active": Meter.Status.ACTIVE},
    )
    return cursor.rowcount


METERS = FileKind(
    name="meters_meters",
    title="счётчики",
    columns=(
        _ACCOUNT,
        _SERIAL,
        Column(
            "model",
            ("Модель", "Тип", "Тип счётчика", "Model"),
            "text",
            parse_text(max_length=100, required=False),
            required=False,
        ),
        _ZONES,
        Column(
            "digits",
            ("Разрядность", "Разрядов", "Digits"),
            "smallint",
            parse_int(minimum=4, maximum=9),
        ),
        Column(
            "decimals",
            ("Знаков после запятой", "Дробных разрядов", "Decimals"),
            "smallint",
            parse_int(minimum=0, maximum=VALUE_DECIMALS),
        ),
        _CATEGORY,
        Column(
            "installed_on",
            ("Дата установки", "Установлен", "Installed"),
            "date",
            parse_date(required=False),
            required=False,
        ),
        Column(
            "verification_due",
            ("Дата очередной поверки", "Дата поверки", "Поверка", "Verification"),
            "date",
            parse_date(required=False),
            required=False,
        ),
        Column(
            "remote_read",
            ("ИСУ", "АСКУЭ", "Дистанционный съём", "Remote"),
            "boolean",
            parse_bool,
            required=False,
        ),
        Column(
            "status",
            ("Статус", "Состояние", "Status"),
            "varchar(10)",
            parse_choice(
                {
                    Meter.Status.ACTIVE: (
                        "",
                        "в работе",
                        "работает",
                        "действует",
                        "активен",
                        "active",
                    ),
                    Meter.Status.CLOSED: ("снят", "закрыт", "демонтирован", "closed"),
                },
                message="Неизвестное состояние: ожидается «в работе» или «снят».",
            ),
            required=False,
        ),
        _value(1),
        _value(2),
        _value(3),
        Column(
            "last_value_date",
            ("Дата показания", "Дата учтённого показания", "Reading date"),
            "date",
            parse_date(required=False),
            required=False,
        ),
    ),
    checks=(
        StagedCheck(
            "account_number",
            "NOT EXISTS (SELECT 1 FROM billing_personalaccount AS a "
            "WHERE a.number = s.account_number)",
            "Лицевого счёта нет в реестре: сначала загрузите реестр (import_accounts).",
        ),
        StagedCheck(
            "zones",
            "(s.last_value_t2 IS NOT NULL AND s.zones < 2) "
            "OR (s.last_value_t3 IS NOT NULL AND s.zones < 3)",
            "Показаний по зонам больше, чем зон у счётчика.",
        ),
        StagedCheck(
            "last_value_t1",
            "s.last_value_t1 >= power(10::numeric, s.digits) "
            "OR s.last_value_t2 >= power(10::numeric, s.digits) "
            "OR s.last_value_t3 >= power(10::numeric, s.digits)",
            "Показание не помещается в разрядность счётчика.",
        ),
    ),
    upsert=_meters_upsert,
    upsert_phase="Обновление счётчиков…",
    close_missing=_meters_close_missing,
    close_phase="Снятие счётчиков, которых нет в выгрузке…",
    full_refusal="В файле нет ни одной правильной строки: полный импорт снял бы все счётчики.",
)


# --- Tariffs ----------------------------------------------------------------------------------


def _tariffs_upsert(cursor: CursorWrapper, *, staging: str, now: datetime) -> tuple[int, int]:
    cursor.execute(
        f"""
        WITH upserted AS (
            INSERT INTO meters_tariff AS tariff
                (category, zones, zone, valid_from, valid_to, price, imported_at)
            SELECT tariff_category, zones, zone, valid_from, valid_to, price, %(now)s
            FROM {staging} WHERE valid
            ON CONFLICT (category, zones, zone, valid_from) DO UPDATE SET
                valid_to = EXCLUDED.valid_to, price = EXCLUDED.price,
                imported_at = EXCLUDED.imported_at
            WHERE (tariff.valid_to, tariff.price) IS DISTINCT FROM
                  (EXCLUDED.valid_to, EXCLUDED.price)
            RETURNING tariff.imported_at = %(now)s AND xmax = 0 AS created
        )
        SELECT count(*) FILTER (WHERE created), count(*) FILTER (WHERE NOT created)
        FROM upserted
        """,  # noqa: S608
        {"now": now},
    )
    created, updated = cursor.fetchone()
    return created, updated


TARIFFS = FileKind(
    name="meters_tariffs",
    title="тарифы",
    columns=(
        replace(_CATEGORY, key=True, required=True),
        replace(_ZONES, key=True),
        Column("zone", ("Зона", "Zone"), "smallint", parse_int(minimum=1, maximum=3), key=True),
        Column("valid_from", ("Действует с", "С", "Valid from"), "date", parse_date(), key=True),
        Column(
            "valid_to",
            ("Действует по", "По", "Valid to"),
            "date",
            parse_date(required=False),
            required=False,
        ),
        Column(
            "price",
            ("Цена", "Цена за кВт·ч", "Тариф", "Price"),
            "numeric(10,4)",
            parse_decimal(places=4),
        ),
    ),
    checks=(
        StagedCheck("zone", "s.zone > s.zones", "Номер зоны больше числа зон."),
        StagedCheck("valid_to", "s.valid_to < s.valid_from", "Дата окончания раньше даты начала."),
    ),
    upsert=_tariffs_upsert,
    upsert_phase="Обновление тарифов…",
)


# --- Outcomes of readings ---------------------------------------------------------------------


def _outcomes_upsert(cursor: CursorWrapper, *, staging: str, now: datetime) -> tuple[int, int]:
    cursor.execute(
        f"""
        WITH upserted AS (
            INSERT INTO meters_readingoutcome AS outcome
                (reading_id, accepted, billed_month, reason, imported_at)
            SELECT reading.id, s.accepted, CASE WHEN s.accepted THEN s.billed_month END,
                   CASE WHEN s.accepted THEN '' ELSE coalesce(s.reason, '') END, %(now)s
            FROM {staging} AS s JOIN meters_reading AS reading ON reading.number = s.reading
            WHERE s.valid
            ON CONFLICT (reading_id) DO UPDATE SET
                accepted = EXCLUDED.accepted, billed_month = EXCLUDED.billed_month,
                reason = EXCLUDED.reason, imported_at = EXCLUDED.imported_at
            WHERE (outcome.accepted, outcome.billed_month, outcome.reason)
                IS DISTINCT FROM (EXCLUDED.accepted, EXCLUDED.billed_month, EXCLUDED.reason)
            RETURNING xmax = 0 AS created
        )
        SELECT count(*) FILTER (WHERE created), count(*) FILTER (WHERE NOT created)
        FROM upserted
        """,  # noqa: S608
        {"now": now},
    )
    created, updated = cursor.fetchone()
    return created, updated


OUTCOMES = FileKind(
    name="meters_outcomes",
    title="результаты учёта показаний",
    columns=(
        Column(
            "reading",
            ("Номер показания", "Номер", "Квитанция", "Reading"),
            "varchar(30)",
            parse_text(max_length=30),
            key=True,
        ),
        Column("accepted", ("Учтено", "Accepted"), "boolean", parse_bool),
        Column(
            "billed_month",
            ("Расчётный месяц", "Месяц", "Учтено за", "Month"),
            "date",
            parse_month(required=False),
            required=False,
        ),
        Column(
            "reason",
            ("Причина", "Причина отказа", "Reason"),
            "text",
            parse_text(max_length=500, required=False),
            required=False,
        ),
    ),
    checks=(
        StagedCheck(
            "reading",
            "NOT EXISTS (SELECT 1 FROM meters_reading AS r WHERE r.number = s.reading)",
            "Показания с таким номером портал не передавал.",
        ),
        StagedCheck(
            "billed_month",
            "s.accepted AND s.billed_month IS NULL",
            "Для учтённого показания нужен расчётный месяц.",
        ),
        StagedCheck(
            "reason",
            "NOT s.accepted AND coalesce(s.reason, '') = ''",
            "Для неучтённого показания нужна причина.",
        ),
    ),
    upsert=_outcomes_upsert,
    upsert_phase="Запись результатов учёта…",
)


# --- Monthly volumes --------------------------------------------------------------------------


def _volumes_upsert(cursor: CursorWrapper, *, staging: str, now: datetime) -> tuple[int, int]:
    cursor.execute(
        f"""
        WITH upserted AS (
            INSERT INTO meters_monthlyvolume AS volume
                (meter_id, month, source, volume_t1, volume_t2, volume_t3, imported_at)
            SELECT meter.id, s.month, s.source, s.volume_t1, s.volume_t2, s.volume_t3, %(now)s
            FROM {staging} AS s
            JOIN billing_personalaccount AS account ON account.number = s.account_number
            JOIN meters_meter AS meter
                ON meter.account_id = account.id AND meter.serial_number = s.serial_number
            WHERE s.valid
            ON CONFLICT (meter_id, month) DO UPDATE SET
                source = EXCLUDED.source, volume_t1 = EXCLUDED.volume_t1,
                volume_t2 = EXCLUDED.volume_t2, volume_t3 = EXCLUDED.volume_t3,
                imported_at = EXCLUDED.imported_at
            WHERE (volume.source, volume.volume_t1, volume.volume_t2, volume.volume_t3)
                IS DISTINCT FROM
                  (EXCLUDED.source, EXCLUDED.volume_t1, EXCLUDED.volume_t2, EXCLUDED.volume_t3)
            RETURNING xmax = 0 AS created
        )
        SELECT count(*) FILTER (WHERE created), count(*) FILTER (WHERE NOT created)
        FROM upserted
        """,  # noqa: S608
        {"now": now},
    )
    created, updated = cursor.fetchone()
    return created, updated


VOLUMES = FileKind(
    name="meters_volumes",
    title="объёмы за месяц",
    columns=(
        _ACCOUNT,
        _SERIAL,
        Column("month", ("Месяц", "Расчётный месяц", "Month"), "date", parse_month(), key=True),
        Column(
            "source",
            ("Источник", "Источник объёма", "Source"),
            "varchar(20)",
            parse_choice(
                {
                    VolumeSource.CONSUMER: ("показания потребителя", "потребитель", "consumer"),
                    VolumeSource.AVERAGE: (
                        "среднемесячный объём",
                        "среднемесячный",
                        "среднее",
                        "average",
                    ),
                    VolumeSource.NORM: ("норматив", "norm"),
                    VolumeSource.CONTROL: ("контрольное снятие", "контрольный", "control"),
                    VolumeSource.REMOTE: ("ИСУ", "АСКУЭ", "remote"),
                },
                message="Неизвестный источник: ожидается «показания потребителя», "
                "«среднемесячный объём», «норматив», «контрольное снятие» или «ИСУ».",
            ),
        ),
        Column(
            "volume_t1",
            ("Объём Т1", "Объём", "Volume T1"),
            "numeric(12,3)",
            parse_decimal(places=VALUE_DECIMALS),
        ),
        Column(
            "volume_t2",
            ("Объём Т2", "Volume T2"),
            "numeric(12,3)",
            parse_decimal(places=VALUE_DECIMALS, required=False),
            required=False,
        ),
        Column(
            "volume_t3",
            ("Объём Т3", "Volume T3"),
            "numeric(12,3)",
            parse_decimal(places=VALUE_DECIMALS, required=False),
            required=False,
        ),
    ),
    checks=(
        StagedCheck(
            "serial_number",
            "NOT EXISTS (SELECT 1 FROM meters_meter AS m "
            "JOIN billing_personalaccount AS a ON a.id = m.account_id "
            "WHERE a.number = s.account_number AND m.serial_number = s.serial_number)",
            "Такого счётчика на этом лицевом счёте нет: сначала загрузите счётчики.",
        ),
    ),
    upsert=_volumes_upsert,
    upsert_phase="Обновление объёмов…",
)
