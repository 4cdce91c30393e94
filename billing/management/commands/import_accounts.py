"""`manage.py import_accounts FILE [--full] [--report PATH]`: load the billing export."""

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, OutputWrapper

from billing.importer import RegistryImportError, Rejection, registry_import
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
def _report_file(path: Path) -> Iterator[Callable[[Rejection], None]]:
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


def _first_rejections(stream: OutputWrapper) -> Callable[[Rejection], None]:
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


class Command(BaseCommand):
    help = (
        "Загружает реестр лицевых счетов из выгрузки биллинга: CSV (UTF-8 или Windows-1251, "
        "разделитель «;» или «,») или XLSX. Столбцы: Лицевой счёт; Адрес; ФИО; "
        "Номер счётчика; Статус."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="Файл выгрузки (.csv или .xlsx).")
        parser.add_argument(
            "--full",
            action="store_true",
            help="Полная выгрузка: действующие счета, которых нет в файле, закрываются.",
        )
        parser.add_argument(
            "--report",
            metavar="PATH",
            help="Записать отклонённые строки в CSV-файл (строка, столбец, значение, причина).",
        )

    def handle(self, *args, file: str, full: bool, report: str | None, **options) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Файл не найден: {path}")
        rejections = (
            _report_file(Path(report)) if report else nullcontext(_first_rejections(self.stderr))
        )
        try:
            with path.open("rb") as source, rejections as on_reject:
                summary = registry_import(
                    source, full=full, on_reject=on_reject, progress=TerminalProgress(self.stderr)
                )
        except RegistryImportError as error:
            raise CommandError(f"Импорт отменён, реестр не изменён. {error}") from error
        self.stdout.write(self.style.SUCCESS(str(summary)))
        if summary.rejected and report:
            self.stdout.write(f"Отклонённые строки записаны в {report}.")
        elif summary.rejected:
            self.stdout.write(
                f"Выше — не больше {SHOWN_WITHOUT_REPORT} замечаний; "
                "полный список отклонённых строк: --report PATH."
            )
