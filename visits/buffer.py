"""Page views wait in memory and are written in batches by a thread of the process.

Why not a task per view: the database task backend would itself INSERT a task row on every
request (and its worker another row, and clean up after), so the request would pay a query and
the database twice the writes. Here the request only appends to a list; one COPY per few hundred
views happens on another thread. A crash loses at most the last few seconds of views,
which statistics can afford; a normal exit writes what is left.
"""

import atexit
import logging
import os
import threading
from collections import deque

from django.db import (
    DatabaseError,
    InterfaceError,
    OperationalError,
    close_old_connections,
    connection,
    connections,
    transaction,
)

from lkk.personal_data import blocked_among
from visits.models import Visit
from visits.page_views import VISIT_COLUMNS, PageView

logger = logging.getLogger(__name__)

BATCH_SIZE = 200
FLUSH_SECONDS = 5.0
# If the database stays unreachable the oldest views are dropped rather than the memory filled.
MAX_BUFFERED_VIEWS = 20_000
# COPY rather than INSERT: no model instances, no statement compiled and no values bound per view
# in the process, and no statement of a few hundred VALUES for PostgreSQL to parse (issue 16).
COPY_VISITS = "COPY {table} ({columns}) FROM STDIN".format(
    table=connection.ops.quote_name(Visit._meta.db_table),
    columns=", ".join(connection.ops.quote_name(column) for column in VISIT_COLUMNS),
)


class VisitBuffer:
    """One per process (processes may be many behind the load balancer)."""

    def __init__(
        self,
        *,
        batch_size: int = BATCH_SIZE,
        flush_seconds: float = FLUSH_SECONDS,
        write_in_background: bool = True,
    ):
        self.batch_size = batch_size
        self.flush_seconds = flush_seconds
        # Tests switch this off and call flush() themselves: a writer thread would use its own
        # database connection, outside the test's transaction.
        self.write_in_background = write_in_background
        self._views: deque[PageView] = deque(maxlen=MAX_BUFFERED_VIEWS)
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._writer: threading.Thread | None = None
        self._writer_pid: int | None = None

    def __len__(self) -> int:
        return len(self._views)

    def add(self, view: PageView) -> None:
        self._views.append(view)  # deque.append is thread-safe
        if not self.write_in_background:
            return
        self._ensure_writer()
        if len(self._views) >= self.batch_size:
            self._wake.set()

    def flush(self) -> int:
        """Write the waiting views now and return how many were written.

        A database error is logged and those views are dropped: statistics never retry into an
        outage, and nothing here raises into a request.
        """
        views = self._take_all()
        if not views:
            return 0
        try:
            with transaction.atomic():
                # Blocking stops every processing but storage (152-FZ art. 3 p. 6): no view is
                # recorded for a person whose data is blocked. Asked here, once per batch,
                # because the request itself must not wait for a query.
                blocked = blocked_among(view.user_id for view in views)
                views = [view for view in views if view.user_id not in blocked]
                _copy_rows(views)
        except (OperationalError, InterfaceError):
            logger.exception("Посещения страниц не записаны (%d шт.): ошибка БД", len(views))
            return 0
        except (DatabaseError, ValueError):
            # One bad row fails the whole COPY: write the rows one by one, so that it costs only
            # itself.
            return self._write_one_by_one(views)
        return len(views)

    def _write_one_by_one(self, views: list[PageView]) -> int:
        written = 0
        for view in views:
            try:
                with transaction.atomic():
                    _copy_rows([view])
            except (OperationalError, InterfaceError):
                break  # the database went away meanwhile: the rest are dropped
            except (DatabaseError, ValueError):
                continue
            written += 1
        if written < len(views):
            logger.error(
                "Посещения страниц не записаны (%d шт. из %d): ошибка БД или недопустимые данные",
                len(views) - written,
                len(views),
            )
        return written

    def clear(self) -> None:
        self._views.clear()

    def stop(self) -> None:
        """Write what is left and end the writer thread (at exit, or in a test)."""
        atexit.unregister(self.stop)
        self._stopping.set()
        self._wake.set()
        if self._writer is not None and self._writer_pid == os.getpid():
            self._writer.join(timeout=30)
        self._writer = None
        self._writer_pid = None
        self._stopping.clear()
        self.flush()  # views added while the writer was finishing

    def _take_all(self) -> list[PageView]:
        views = []
        while True:
            try:
                views.append(self._views.popleft())
            except IndexError:
                return views

    def _ensure_writer(self) -> None:
        # Checked against the process id: a thread does not survive a fork (gunicorn --preload).
        if self._writer_pid == os.getpid():
            return
        with self._lock:
            if self._writer_pid == os.getpid():
                return
            self._writer = threading.Thread(
                target=self._write_until_stopped, name="visits-writer", daemon=True
            )
            self._writer_pid = os.getpid()
            self._writer.start()
            atexit.register(self.stop)

    def _write_until_stopped(self) -> None:
        while not self._stopping.is_set():
            self._wake.wait(self.flush_seconds)
            self._wake.clear()
            # Like a request: honour CONN_MAX_AGE and drop a connection the database closed.
            close_old_connections()
            try:
                self.flush()
            except Exception:  # the writer must outlive any surprise, or statistics stop
                logger.exception("Ошибка при записи посещений страниц")
            close_old_connections()
        connections.close_all()


def _copy_rows(views: list[PageView]) -> None:
    """Write the views' rows in one COPY (within the caller's transaction)."""
    # Django's cursor hands `copy` to psycopg as it is: its errors are wrapped here, so that the
    # callers see Django's (and a broken connection is marked as one).
    with (
        connection.cursor() as cursor,
        connection.wrap_database_errors,
        cursor.copy(COPY_VISITS) as copy,
    ):
        for view in views:
            copy.write_row(view.to_row())


visit_buffer = VisitBuffer()
