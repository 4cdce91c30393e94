"""What every import of the exchange engine (`lkk.exchange`) that staff start from the admin
shares: the progress written where the staff member's page can read it, and the first rejected
rows kept for that page.

The shape: the request only stores the file in a row of the app's upload model and queues a
task after commit; the task claims the row (queued → running), imports with the upload limits
(`lkk.upload_limits`), writes its progress through `RowProgress`, and leaves the summary and
`KeptRejections` on the row; the upload's admin page reloads itself every
`STATUS_REFRESH_SECONDS` until it is done. See `billing.uploads` (the registry) and
`bills.uploads` (charges and payments).
"""

import logging
import time

from django.db import DEFAULT_DB_ALIAS, connections

from lkk.exchange import Progress, Rejection

logger = logging.getLogger(__name__)

# The upload's page reloads itself this often while the file is being imported.
STATUS_REFRESH_SECONDS = 2
REJECTIONS_KEPT = 100


class RowProgress:
    """Writes `rows_read`, `percent` and `phase` to the upload's row on a database connection
    of its own (autocommit): the import runs in one transaction, which the staff member's page
    would not see into until it ends. Written at most every `every_seconds` (and at the end of
    the reading); `inner` hears everything too (a command's progress bar)."""

    def __init__(
        self, table: str, pk: int, *, inner: Progress | None = None, every_seconds: float = 2.0
    ) -> None:
        self.table = table
        self.pk = pk
        self.inner = inner
        self.every_seconds = every_seconds
        self._written_at = 0.0
        self._connection = connections.create_connection(DEFAULT_DB_ALIAS)

    def rows_read(self, rows: int, fraction: float | None) -> None:
        if self.inner:
            self.inner.rows_read(rows, fraction)
        now = time.monotonic()
        if fraction == 1.0 or now - self._written_at >= self.every_seconds:
            self._written_at = now
            # 100 % is the finished import, not the finished reading.
            percent = None if fraction is None else min(int(fraction * 100), 99)
            self._write(rows_read=rows, percent=percent)

    def phase(self, message: str) -> None:
        if self.inner:
            self.inner.phase(message)
        self._write(phase=message[:200])

    def _write(self, **values: int | str | None) -> None:
        columns = ", ".join(f"{column} = %s" for column in values)
        try:
            with self._connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {self.table} SET {columns} WHERE id = %s",  # noqa: S608
                    [*values.values(), self.pk],
                )
        except Exception:  # progress is a courtesy: it never stops an import
            logger.warning("Ход загрузки не записан (%s %s)", self.table, self.pk, exc_info=True)

    def close(self) -> None:
        self._connection.close()


class KeptRejections:
    """The first `REJECTIONS_KEPT` rejected rows, as the upload's page shows them (the whole
    list is the command's `--report`)."""

    def __init__(self) -> None:
        self.rows: list[dict[str, object]] = []

    def __call__(self, rejection: Rejection) -> None:
        if len(self.rows) < REJECTIONS_KEPT:
            self.rows.append(
                {
                    "row": rejection.row,
                    "column": rejection.column,
                    "value": rejection.value,
                    "reason": rejection.reason,
                }
            )
