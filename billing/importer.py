"""The billing system's export of лицевые счета (CSV or XLSX) as a kind of file of the exchange
engine (`lkk.exchange`): columns, checks and the upsert into the registry.

Columns are found by their header (the names below, case, ё/е and punctuation ignored); other
columns are ignored. A full import closes active accounts missing from the file.
"""

from collections.abc import Callable
from datetime import datetime
from typing import BinaryIO

from django.conf import settings
from django.db.backends.utils import CursorWrapper

from billing.models import PersonalAccount
from billing.numbers import (
    account_number_format_message,
    clean_account_number,
    is_valid_account_number,
)
from lkk.exchange import (
    CellError,
    Column,
    ExchangeError,
    FileKind,
    ImportSummary,
    Progress,
    Rejection,
    cell_text,
    exchange_import,
    parse_choice,
    parse_text,
)
from lkk.upload_limits import UploadLimits

__all__ = ["ACCOUNTS", "ImportSummary", "RegistryImportError", "Rejection", "registry_import"]

# The engine's fatal error, under the name the registry's callers know.
RegistryImportError = ExchangeError

STATUS_VALUES = {
    PersonalAccount.Status.ACTIVE: ("", "активен", "активный", "действует", "открыт", "active"),
    PersonalAccount.Status.CLOSED: ("закрыт", "закрытый", "неактивен", "не активен", "closed"),
}


def _max_length(field: str) -> int:
    return PersonalAccount._meta.get_field(field).max_length or 0


def parse_account_number(value: object) -> str:
    """A number stored as a number in a spreadsheet has lost its leading zeros: restore them."""
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
        text = cell_text(value)
        if text.isdigit():
            text = text.zfill(settings.BILLING_ACCOUNT_NUMBER_LENGTH)
    else:
        text = clean_account_number(cell_text(value))
    if not text:
        raise CellError("Номер лицевого счёта не указан.")
    if not is_valid_account_number(text):
        raise CellError(account_number_format_message())
    return text


# The billing system's own headers first, then the aliases other exports use.
ACCOUNT_NUMBER_ALIASES = (
    "Лицевой счёт",
    "Номер лицевого счёта",
    "Л/с",
    "№ л/с",
    "Номер л/с",
    "Account",
)


def _upsert(cursor: CursorWrapper, *, staging: str, now: datetime) -> tuple[int, int]:
    """Insert new accounts, update changed ones, leave equal ones alone: (created, updated)."""
    cursor.execute(
        f"""
        WITH upserted AS (
            INSERT INTO billing_personalaccount AS account
                (number, address, holder_name, meter_number, status, created_at, imported_at)
            SELECT number, address, holder_name, meter_number, status, %(now)s, %(now)s
            FROM {staging} WHERE valid
            ON CONFLICT (number) DO UPDATE SET
                address = EXCLUDED.address,
                holder_name = EXCLUDED.holder_name,
                meter_number = EXCLUDED.meter_number,
                status = EXCLUDED.status,
                imported_at = EXCLUDED.imported_at
            WHERE (account.address, account.holder_name, account.meter_number, account.status)
                IS DISTINCT FROM
                (EXCLUDED.address, EXCLUDED.holder_name, EXCLUDED.meter_number, EXCLUDED.status)
            -- An updated row keeps the created_at of the import that first brought it.
            RETURNING account.created_at = %(now)s AS created
        )
        SELECT count(*) FILTER (WHERE created), count(*) FILTER (WHERE NOT created)
        FROM upserted
        """,  # noqa: S608
        {"now": now},
    )
    created, updated = cursor.fetchone()
    return created, updated


def _close_missing(cursor: CursorWrapper, *, staging: str, now: datetime) -> int:
    """A full export lists every account: an active one missing from it has been closed.
    Rows rejected for other reasons still count as present (they are staged as invalid)."""
    cursor.execute(
        f"""
        UPDATE billing_personalaccount AS account SET status = %(closed)s, imported_at = %(now)s
        WHERE account.status = %(active)s
          AND NOT EXISTS (SELECT 1 FROM {staging} AS s WHERE s.number = account.number)
        """,  # noqa: S608
        {
            "now": now,
            "closed": PersonalAccount.Status.CLOSED,
            "active": PersonalAccount.Status.ACTIVE,
        },
    )
    return cursor.rowcount


ACCOUNTS = FileKind(
    name="billing_accounts",
    title="реестр лицевых счетов",
    columns=(
        Column("number", ACCOUNT_NUMBER_ALIASES, "varchar(20)", parse_account_number, key=True),
        Column(
            "address",
            ("Адрес", "Адрес объекта", "Адрес поставки", "Адрес объекта поставки", "Address"),
            "text",
            parse_text(max_length=_max_length("address")),
        ),
        Column(
            "holder_name",
            ("ФИО", "ФИО владельца", "Владелец", "Абонент", "Потребитель", "Holder"),
            "text",
            parse_text(max_length=_max_length("holder_name")),
        ),
        Column(
            "meter_number",
            (
                "Номер счётчика",
                "Счётчик",
                "Заводской номер счётчика",
                "Заводской номер",
                "Зав. номер",
                "Номер прибора учёта",
                "Meter",
            ),
            "text",
            parse_text(max_length=_max_length("meter_number"), required=False),
            required=False,
        ),
        Column(
            "status",
            ("Статус", "Состояние", "Status"),
            "varchar(10)",
            parse_choice(
                STATUS_VALUES, message="Неизвестное состояние: ожидается «активен» или «закрыт»."
            ),
            required=False,
        ),
    ),
    upsert=_upsert,
    upsert_phase="Обновление реестра…",
    close_missing=_close_missing,
    close_phase="Закрытие счетов, которых нет в выгрузке…",
    full_refusal="В файле нет ни одной правильной строки: полный импорт закрыл бы все счета.",
)


def registry_import(
    source: BinaryIO,
    *,
    full: bool = False,
    on_reject: Callable[[Rejection], None] = lambda rejection: None,
    progress: Progress | None = None,
    limits: UploadLimits | None = None,
) -> ImportSummary:
    """Import the billing export in `source` (a seekable binary file) in one transaction.

    `full`: the file is the whole registry, so active accounts missing from it are closed.
    Rejected rows go to `on_reject` as they are found; a `RegistryImportError` (or any other
    exception) leaves the registry unchanged. `limits`: for a file uploaded by staff
    (`lkk.upload_limits`), refused as a whole when it unpacks or runs beyond them.
    """
    return exchange_import(
        ACCOUNTS, source, full=full, on_reject=on_reject, progress=progress, limits=limits
    )
