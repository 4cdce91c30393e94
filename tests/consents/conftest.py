"""Helpers for consent tests: the append-only checks."""

import pytest
from django.db import DatabaseError, connection, transaction


def assert_refused(statement) -> None:
    """Run `statement` in its own savepoint and check an append-only trigger refuses it."""
    with pytest.raises(DatabaseError, match="pgtrigger: Cannot"), transaction.atomic():
        statement()


def raw_sql(query: str, *params):
    """A statement that runs `query` past the ORM, as a careless script or psql session would."""

    def run():
        with connection.cursor() as cursor:
            cursor.execute(query, params)

    return run
