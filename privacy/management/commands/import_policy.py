"""`manage.py import_policy FILE.md --version 2.0 --effective-date 2026-12-01 [--publish]`."""

import re
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from privacy.services import policy_import

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class Command(BaseCommand):
    help = (
        "Загружает текст политики из Markdown-файла (UTF-8) как новую редакцию: черновик "
        "или, с --publish, сразу опубликованную."
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs) -> CommandParser:
        # `--version` is the policy's version label here, not Django's own version flag.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="Markdown-файл с текстом политики")
        parser.add_argument("--version", required=True, help="номер редакции, например 2.0")
        parser.add_argument(
            "--effective-date", required=True, help="дата вступления в силу, ГГГГ-ММ-ДД"
        )
        parser.add_argument(
            "--title", default="", help="заголовок; по умолчанию — первая строка файла"
        )
        parser.add_argument(
            "--publish", action="store_true", help="сразу опубликовать (иначе — черновик)"
        )

    def handle(self, *args, **options) -> None:
        effective_date = self._parse_date(options["effective_date"])
        text = self._read(options["file"])
        try:
            version = policy_import(
                text=text,
                label=options["version"],
                effective_date=effective_date,
                title=options["title"],
                publish=options["publish"],
            )
        except ValidationError as error:
            raise CommandError("Редакция не загружена: " + " ".join(error.messages)) from error
        state = "опубликована" if version.is_published else "сохранена как черновик"
        self.stdout.write(
            self.style.SUCCESS(
                f"Редакция {version.label} «{version.title}» {state}; "
                f"вступает в силу {version.effective_date:%d.%m.%Y}."
            )
        )

    def _parse_date(self, value: str) -> date:
        try:
            if not _ISO_DATE.match(value):
                raise ValueError(value)
            return date.fromisoformat(value)
        except ValueError:
            raise CommandError(
                f"Неверная дата вступления в силу «{value}»: укажите её в формате "
                "ГГГГ-ММ-ДД, например 2026-12-01."
            ) from None

    def _read(self, path: Path) -> str:
        if not path.is_file():
            raise CommandError(f"Файл «{path}» не найден.")
        try:
            return path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise CommandError(
                f"Файл «{path}» не в кодировке UTF-8: сохраните его в UTF-8 и повторите."
            ) from None
