"""PostgreSQL tools several apps need: advisory locks, human-readable serial numbers, the
refusal to TRUNCATE evidence and a row read with SQL composed once."""

import datetime
from functools import cached_property
from typing import cast

import pgtrigger
from django.db import connection, connections, router
from django.db.models import Model
from psycopg import sql

from lkk.moscow import moscow_date


def advisory_lock(key: str) -> None:
    """A transaction-scoped advisory lock on `key`: parallel requests for the same thing (one
    consumer, one IP address) queue up here, so a burst of them cannot all slip under a limit
    counted in the database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [key])


def serial_number(*, prefix: str, sequence: str, received_at: datetime.datetime) -> str:
    """`<prefix>-<Moscow year of receipt>-<serial>`, e.g. `ПДн-2026-000123`: a number people can
    read out on the phone. The serial comes from a PostgreSQL sequence, so it is never reused,
    whatever the number of processes, even after a rollback."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(%s)", [sequence])
        (serial,) = cursor.fetchone()
    return f"{prefix}-{moscow_date(received_at).year}-{serial:06d}"


def no_truncate(prefix: str) -> pgtrigger.Trigger:
    """A statement trigger refusing TRUNCATE of an append-only table.

    Row triggers refuse UPDATE and DELETE but never fire for TRUNCATE, which empties a table
    at once — or several, with CASCADE through the foreign keys pointing at it. Every table
    that holds evidence (and every table such a table points at) carries this one.
    """
    return pgtrigger.Trigger(
        name=f"{prefix}_no_truncate",
        when=pgtrigger.Before,
        operation=pgtrigger.Truncate,
        level=pgtrigger.Statement,
        func="RAISE EXCEPTION 'pgtrigger: Cannot truncate % table', TG_TABLE_NAME;",
    )


def append_only(prefix: str) -> list[pgtrigger.Trigger]:
    """Row triggers refusing DELETE, and any UPDATE that would change a value; TRUNCATE refused.

    Whatever path the SQL comes from. An UPDATE writing back identical values stays allowed:
    it alters no evidence, and Django's test fixtures reload rows that way.
    """
    return [
        pgtrigger.Protect(
            name=f"{prefix}_no_update", operation=pgtrigger.Update, condition=pgtrigger.AnyChange()
        ),
        pgtrigger.Protect(name=f"{prefix}_no_delete", operation=pgtrigger.Delete),
        no_truncate(prefix),
    ]


def app_role_grants(role: str) -> list[str]:
    """What the site's role may do, run by the tables' owner: read and write rows and use the
    sequences, for the tables there are and those later migrations create. Not TRUNCATE, not
    TRIGGER, not REFERENCES: only an owner may drop or disable the triggers guarding evidence."""
    name = sql.Identifier(role).as_string()
    return [
        f"GRANT USAGE ON SCHEMA public TO {name}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {name}",
        f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {name}",
        "ALTER DEFAULT PRIVILEGES IN SCHEMA public "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {name}",
        "ALTER DEFAULT PRIVILEGES IN SCHEMA public "
        f"GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {name}",
    ]


class RowReader[M: Model]:
    """Reads one row of a model by a fixed condition, with SQL composed once per process, and
    gives the instance the ORM would (`Model.from_db`: every field loaded, saved state).

    For the reads every signed-in request makes, its session and its user: the ORM composes the
    same statement anew on each request, which cost a fifth of a signed-in page's work
    (`benchmarks/pages.py`). `where` is SQL with `%s` placeholders; the parameters go to `read`.
    """

    def __init__(self, model: type[M], *, where: str) -> None:
        self._model = model
        self._where = where

    @cached_property
    def _names_and_sql(self) -> tuple[list[str], str]:
        fields = self._model._meta.concrete_fields
        columns = [sql.Identifier(cast(str, field.column)) for field in fields]
        statement = sql.SQL("SELECT {columns} FROM {table} WHERE {where}").format(
            columns=sql.SQL(", ").join(columns),
            table=sql.Identifier(self._model._meta.db_table),
            where=sql.SQL(self._where),  # the code's own text, never input
        )
        return [field.attname for field in fields], statement.as_string()

    def read(self, *params: str | int | datetime.datetime) -> M | None:
        names, statement = self._names_and_sql
        alias = router.db_for_read(self._model)
        with connections[alias].cursor() as cursor:
            cursor.execute(statement, params)
            row = cursor.fetchone()
        return None if row is None else self._model.from_db(alias, names, row)
