"""`manage.py export_readings [--dir DIR] [--batch N]`: hand readings over to billing."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from meters.models import ExportBatch
from meters.services import export_write, readings_export


class Command(BaseCommand):
    help = (
        "Выгружает в CSV показания, ещё не переданные в биллинг, с новым номером выгрузки "
        "(файл pokazaniya-NNNNNN.csv). С --batch N заново пишет файл выгрузки N."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dir", default=".", help="Куда записать файл (по умолчанию — сюда).")
        parser.add_argument(
            "--batch", type=int, metavar="N", help="Записать заново файл выгрузки с этим номером."
        )

    def handle(self, *args: Any, dir: str, batch: int | None, **options: Any) -> None:
        folder = Path(dir)
        if not folder.is_dir():
            raise CommandError(f"Папки нет: {folder}")
        if batch is not None:
            found = ExportBatch.objects.filter(pk=batch).first()
            if found is None:
                raise CommandError(f"Выгрузки № {batch} нет.")
            path = self._write(found, folder)
            self.stdout.write(f"Выгрузка № {found.pk} записана заново: {path}")
            return
        # The batch is marked and its file written in one transaction; the file takes its
        # name only after the commit. A crash before the commit leaves nothing marked (the
        # readings go in the next run); after it, `--batch N` writes the same file again.
        with transaction.atomic():
            new = readings_export()
            if new is None:
                self.stdout.write("Новых показаний нет: выгружать нечего.")
                return
            partial = self._write(new, folder, final=False)
        path = partial.with_name(new.file_name)
        partial.replace(path)
        self.stdout.write(
            self.style.SUCCESS(f"Выгрузка № {new.pk}: показаний {new.readings}, файл {path}")
        )

    def _write(self, batch: ExportBatch, folder: Path, *, final: bool = True) -> Path:
        path = folder / (batch.file_name + ("" if final else ".part"))
        with path.open("wb") as stream:
            export_write(batch, stream)
        return path
