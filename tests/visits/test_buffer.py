"""Page views wait in memory and are written in batches off the request; failures stay quiet."""

import logging
import time
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from visits.buffer import VisitBuffer
from visits.models import Visit
from visits.page_views import PageView

FIREFOX_ON_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
)


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
def test_flush_writes_all_waiting_views_in_one_copy():
    buffer = VisitBuffer(write_in_background=False)
    for _ in range(3):
        buffer.add(page_view())

    with CaptureQueriesContext(connection) as queries:
        written = buffer.flush()

    assert written == 3
    assert Visit.objects.count() == 3
    writes = [query["sql"] for query in queries if query["sql"].startswith(("INSERT", "COPY"))]
    assert len(writes) == 1
    assert writes[0].startswith("COPY")
    assert len(buffer) == 0


@pytest.mark.django_db
@pytest.mark.usefixtures("test_pages")
def test_each_view_of_a_batch_is_written_with_its_own_values(alice):
    buffer = VisitBuffer(write_in_background=False)
    signed_in_at = timezone.now() - timedelta(minutes=5)
    anonymous_at = timezone.now()
    buffer.add(
        PageView(
            time=signed_in_at,
            ip="2001:db8::7",
            user_id=alice.pk,
            path="/test-visits/requests/42/",
            referrer="http://testserver/test-visits/requests/7/?email=alice%40example.ru",
            user_agent=FIREFOX_ON_WINDOWS,
            status=404,
            duration_ms=1234,
        )
    )
    buffer.add(
        PageView(
            time=anonymous_at,
            ip=None,
            user_id=None,
            path="/no-such-page/",
            referrer="https://mail.example.com/inbox/77?uid=alice%40example.ru#top",
            user_agent="",
            status=200,
            duration_ms=0,
        )
    )

    assert buffer.flush() == 2

    columns = ("time", "ip", "user", "path", "referrer", "browser", "status", "duration_ms")
    assert list(Visit.objects.order_by("pk").values_list(*columns)) == [
        (
            signed_in_at,
            "2001:db8::7",
            alice.pk,
            "/test-visits/requests/<int:pk>/",
            "/test-visits/requests/<int:pk>/",
            "Firefox",
            404,
            1234,
        ),
        (
            anonymous_at,
            None,
            None,
            "/no-such-page/",
            "https://mail.example.com/inbox/77",
            "",
            200,
            0,
        ),
    ]


# The database checks a row's account when its transaction commits (a deferred foreign key):
# this test commits, and the tables are emptied after.
@pytest.mark.django_db(transaction=True)
def test_a_view_of_an_account_deleted_meanwhile_costs_only_itself(django_user_model, caplog):
    """The database checks the account when the batch commits: the rows are then written one
    by one, and the others are kept."""
    leaving = django_user_model.objects.create_user("leaving@example.ru", "not-used-0123")
    buffer = VisitBuffer(write_in_background=False)
    buffer.add(page_view("/first/"))
    buffer.add(page_view("/leaving/")._replace(user_id=leaving.pk))
    buffer.add(page_view("/last/"))
    leaving.delete()

    with caplog.at_level(logging.ERROR, logger="visits.buffer"):
        written = buffer.flush()

    assert written == 2
    assert sorted(Visit.objects.values_list("path", flat=True)) == ["/first/", "/last/"]
    assert "Посещения страниц не записаны (1 шт. из 3)" in caplog.text


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
