"""Page views wait in memory and are written in batches off the request; failures stay quiet."""

import logging
import time

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from visits.buffer import VisitBuffer
from visits.models import Visit
from visits.page_views import PageView


def page_view(path: str = "/") -> PageView:
    return PageView(
        time=timezone.now(),
        ip="192.0.2.1",
        user_id=None,
        path=path,
        referrer="",
        user_agent="",
        status=200,
        duration_ms=12,
    )


# The writer thread has its own connection: these tests commit, and the tables are emptied after.
WRITES_FROM_ANOTHER_THREAD = pytest.mark.django_db(transaction=True)


def wait_for_visits(count: int, timeout: float = 10.0) -> int:
    deadline = time.monotonic() + timeout
    while (written := Visit.objects.count()) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return written


@pytest.mark.django_db
def test_flush_writes_all_waiting_views_in_one_insert():
    buffer = VisitBuffer(write_in_background=False)
    for _ in range(3):
        buffer.add(page_view())

    with CaptureQueriesContext(connection) as queries:
        written = buffer.flush()

    assert written == 3
    assert Visit.objects.count() == 3
    assert sum(1 for query in queries if query["sql"].startswith("INSERT")) == 1
    assert len(buffer) == 0


def test_a_database_error_while_writing_is_logged_and_never_raised(django_db_blocker, caplog):
    buffer = VisitBuffer(write_in_background=False)
    buffer.add(page_view())
    with django_db_blocker.unblock():
        db = connections["default"]
        db.close()
        original_port = db.settings_dict["PORT"]
        db.settings_dict["PORT"] = "1"  # nothing listens there: the database is "down"
        try:
            with caplog.at_level(logging.ERROR, logger="visits.buffer"):
                written = buffer.flush()
        finally:
            db.close()
            db.settings_dict["PORT"] = original_port

    assert written == 0
    assert "Посещения страниц не записаны (1 шт.)" in caplog.text
    assert len(buffer) == 0  # dropped: statistics do not retry into an outage


@WRITES_FROM_ANOTHER_THREAD
def test_the_writer_thread_writes_a_full_batch_by_itself():
    buffer = VisitBuffer(batch_size=2, flush_seconds=60)
    try:
        buffer.add(page_view("/first/"))
        buffer.add(page_view("/second/"))

        assert wait_for_visits(2) == 2
    finally:
        buffer.stop()
    assert set(Visit.objects.values_list("path", flat=True)) == {"/first/", "/second/"}


@WRITES_FROM_ANOTHER_THREAD
def test_the_writer_thread_writes_a_partial_batch_after_a_while():
    buffer = VisitBuffer(batch_size=100, flush_seconds=0.2)
    try:
        buffer.add(page_view())

        assert wait_for_visits(1) == 1
    finally:
        buffer.stop()


@WRITES_FROM_ANOTHER_THREAD
def test_stopping_writes_what_is_left():
    buffer = VisitBuffer(batch_size=100, flush_seconds=60)
    buffer.add(page_view())
    assert Visit.objects.count() == 0

    buffer.stop()  # as at the process's exit

    assert Visit.objects.count() == 1
