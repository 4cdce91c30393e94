"""The management command shape every import of the exchange engine (`lkk.exchange`) shares:
`manage.py import_<kind> FILE [--full] [--report PATH]`, a progress bar and a reject report."""

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper

from lkk.exchange import ExchangeError, FileKind, Rejection, exchange_import
from lkk.spreadsheets import SafeCsvWriter

REPORT_HEADER = ("Строка", "Столбец", "Значение", "Причина")
SHOWN_WITHOUT_REPORT = 20


class TerminalProgress:
    """A light progress bar on stderr: redrawn in place on a terminal, and in a log (cron,
    CI) one line per tenth of the file instead of a stream of carriage returns."""

    WIDTH = 30
    REDRAW_SECONDS = 0.1

    def __init__(self, stream: OutputWrapper) -> None:
        self.stream = stream
        self.interactive = stream.isatty()
        self._drawn_at = 0.0
        self._tenths_shown = -1

    def rows_read(self, rows: int, fraction: float | None) -> None:
        done = fraction == 1.0
        if self.interactive:
            now = time.monotonic()
            if not done and now - self._drawn_at < self.REDRAW_SECONDS:
                return
            self._drawn_at = now
            self._write("\r" + self._line(rows, fraction) + ("\n" if done else ""))
        elif fraction is not None and int(fraction * 10) > self._tenths_shown:
            self._tenths_shown = int(fraction * 10)
            self._write(self._line(rows, fraction) + "\n")

    def phase(self, message: str) -> None:
        self._write(message + "\n")

    def _line(self, rows: int, fraction: float | None) -> str:
        count = f"строк: {rows:,}".replace(",", " ")
        if fraction is None:
            return f"Чтение файла… {count}"
        filled = round(self.WIDTH * min(fraction, 1.0))
        bar = "#" * filled + "·" * (self.WIDTH - filled)
        return f"[{bar}] {min(fraction, 1.0):4.0%}  {count}"

    def _write(self, text: str) -> None:
        self.stream.write(text, style_func=str, ending="")
        self.stream.flush()


@contextmanager
def report_file(path: Path) -> Iterator[Callable[[Rejection], None]]:
    """Rejected rows as CSV for Excel (UTF-8 with BOM, `;`). Written beside the target and
    moved into place only when the import succeeds: a cancelled import leaves no report."""
    partial = path.with_name(path.name + ".part")
    try:
        with partial.open("w", encoding="utf-8-sig", newline="") as stream:
            writer = SafeCsvWriter(stream, delimiter=";")
            writer.writerow(REPORT_HEADER)
            yield lambda r: writer.writerow((r.row, r.column, r.value, r.reason))
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)


def first_rejections(stream: OutputWrapper) -> Callable[[Rejection], None]:
    """Without --report, the first few problems go to stderr."""
    shown = 0

    def show(rejection: Rejection) -> None:
        nonlocal shown
        if shown < SHOWN_WITHOUT_REPORT:
            shown += 1
            stream.write(
                f"Строка {rejection.row}, «{rejection.column}» = «{rejection.value}»: "
                f"{rejection.reason}"
            )

    return show


class ImportCommand(BaseCommand):
    """Set `kind`, `help`, and `cancelled` (what stays unchanged when the import fails)."""

    kind: FileKind
    cancelled = "Импорт отменён, данные не изменены."
    full_help = "Полная выгрузка: то, чего нет в файле, закрывается."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Файл выгрузки (.csv или .xlsx).")
        if self.kind.close_missing is not None:
            parser.add_argument("--full", action="store_true", help=self.full_help)
        parser.add_argument(
            "--report",
            metavar="PATH",
            help="Записать отклонённые строки в CSV-файл (строка, столбец, значение, причина).",
        )

    def handle(self, *args: Any, file: str, report: str | None, **options: Any) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Файл не найден: {path}")
        rejections = (
            report_file(Path(report)) if report else nullcontext(first_rejections(self.stderr))
        )
        try:
            with path.open("rb") as source, rejections as on_reject:
                summary = exchange_import(
                    self.kind,
                    source,
                    full=options.get("full", False),
                    on_reject=on_reject,
                    progress=TerminalProgress(self.stderr),
                )
        except ExchangeError as error:
            raise CommandError(f"{self.cancelled} {error}") from error
        self.stdout.write(self.style.SUCCESS(str(summary)))
        if summary.rejected and report:
            self.stdout.write(f"Отклонённые строки записаны в {report}.")
        elif summary.rejected:
            self.stdout.write(
                f"Выше — не больше {SHOWN_WITHOUT_REPORT} замечаний; "
                "полный список отклонённых строк: --report PATH."
            )
