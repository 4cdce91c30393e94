"""`manage.py export_receipt_choices FILE [--batch N]`: consumers' choices of the electronic
receipt for billing, each exported once; `--batch` writes an earlier file again."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bills.models import ReceiptChoiceExport
from bills.services import receipt_choices_export


class Command(BaseCommand):
    help = (
        "Выгружает для биллинга выбор электронной квитанции (CSV: лицевой счёт; да/нет; время). "
        "Каждый выбор выгружается один раз; --batch N повторяет выгрузку N."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Куда записать CSV (UTF-8 с BOM, разделитель «;»).")
        parser.add_argument("--batch", type=int, help="Номер прежней выгрузки.")

    def handle(self, *args: Any, file: str, batch: int | None, **options: Any) -> None:
        earlier = None
        if batch is not None:
            earlier = ReceiptChoiceExport.objects.filter(pk=batch).first()
            if earlier is None:
                raise CommandError(f"Выгрузки № {batch} нет.")
        path = Path(file)
        partial = path.with_name(path.name + ".part")
        try:
            # The rows are marked only if the whole file is written (one transaction).
            with partial.open("w", encoding="utf-8-sig", newline="") as out:
                rows = receipt_choices_export(out=out, batch=earlier)
            partial.replace(path)
        finally:
            partial.unlink(missing_ok=True)
        self.stdout.write(self.style.SUCCESS(f"Записано строк: {rows} в {path}."))
