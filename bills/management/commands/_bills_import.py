"""The shape both bills imports share: the engine's progress bar and reject report
(`lkk.exchange_command`), and a summary a person can read."""

from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path
from typing import Any, BinaryIO

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bills.balance import rubles
from bills.models import BillsImport
from lkk.exchange import ExchangeError, Progress
from lkk.exchange_command import TerminalProgress, first_rejections, report_file

Importer = Callable[..., BillsImport]


class BillsImportCommand(BaseCommand):
    importer: Importer

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Файл выгрузки (.csv или .xlsx).")
        parser.add_argument(
            "--report",
            metavar="PATH",
            help="Записать отклонённые строки в CSV-файл (строка, столбец, значение, причина).",
        )

    def run(self, source: BinaryIO, *, name: str, on_reject, progress: Progress) -> BillsImport:
        return type(self).importer(source, file_name=name, on_reject=on_reject, progress=progress)

    def handle(self, *args: Any, file: str, report: str | None, **options: Any) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Файл не найден: {path}")
        rejections = (
            report_file(Path(report)) if report else nullcontext(first_rejections(self.stderr))
        )
        try:
            with path.open("rb") as source, rejections as on_reject:
                record = self.run(
                    source,
                    name=path.name,
                    on_reject=on_reject,
                    progress=TerminalProgress(self.stderr),
                )
        except ExchangeError as error:
            raise CommandError(f"Импорт отменён, данные не изменены. {error}") from error
        self.stdout.write(self.style.SUCCESS(summary_text(record)))
        if record.rejected and report:
            self.stdout.write(f"Отклонённые строки записаны в {report}.")


def summary_text(record: BillsImport) -> str:
    what = "месяцев" if record.kind == BillsImport.Kind.CHARGES else "платежей"
    text = (
        f"Загрузка № {record.pk}. Строк в файле: {record.rows_read}. Счетов: {record.accounts}, "
        f"сумма: {rubles(record.total)}. Новых {what}: {record.created}, исправлено: "
        f"{record.replaced}, без изменений: {record.unchanged}. Отклонено строк: "
        f"{record.rejected}."
    )
    return f"{text} {record.message}".strip()
