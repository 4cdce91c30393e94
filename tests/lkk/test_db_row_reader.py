"""`lkk.db.RowReader`: one row read with SQL composed once, given back as the ORM gives it."""

import pytest
from django.contrib.sessions.models import Session
from django.db.models.sql.compiler import SQLCompiler

from accounts.models import User
from lkk.db import RowReader

pytestmark = pytest.mark.django_db


def test_the_row_comes_back_as_the_orm_would_load_it(alice):
    read = RowReader(User, where='"id" = %s').read(alice.pk)
    loaded = User.objects.get(pk=alice.pk)

    assert isinstance(read, User)
    assert [getattr(read, f.attname) for f in User._meta.concrete_fields] == [
        getattr(loaded, f.attname) for f in User._meta.concrete_fields
    ]
    assert read._state.adding is False
    assert read._state.db == "default"
    assert read.get_deferred_fields() == set()


def test_no_row_reads_as_none(alice):
    assert RowReader(User, where='"id" = %s').read(alice.pk + 1000) is None


def test_every_parameter_takes_part_in_the_condition(alice):
    by_email_and_name = RowReader(User, where='"email" = %s AND "first_name" = %s')

    assert by_email_and_name.read(alice.email, alice.first_name) == alice
    assert by_email_and_name.read(alice.email, "Кто-то другой") is None


def test_the_statement_is_composed_without_the_orm(alice, monkeypatch):
    reader = RowReader(Session, where='"session_key" = %s')
    composed = []
    monkeypatch.setattr(SQLCompiler, "as_sql", lambda *args, **kwargs: composed.append(args))

    assert reader.read("no-such-session") is None
    assert composed == []
