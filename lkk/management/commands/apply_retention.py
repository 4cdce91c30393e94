from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from lkk import personal_data
from lkk.models import RetentionRecord


class Command(BaseCommand):
    help = (
        "Удаляет или обезличивает персональные данные, срок хранения которых истёк, по каждой "
        "категории реестра ПДн, порциями; записывает сделанное в журнал. Запускать раз в сутки."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Только посчитать, что истекло; ничего не менять и не записывать в журнал.",
        )

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        now = timezone.now()
        prefix = "Истёк срок хранения (ничего не изменено)" if dry_run else "Сделано"
        for category, counts in personal_data.expire_all(now, dry_run=dry_run):
            for action, count in counts.items():
                self.stdout.write(
                    f"{prefix}: {category.title} — {action}: {count} "
                    f"(срок хранения: {category.retention})"
                )
                if count and not dry_run:
                    RetentionRecord.objects.create(
                        ran_at=now,
                        category=category.key,
                        category_title=category.title,
                        retention=str(category.retention),
                        action=action,
                        count=count,
                    )
