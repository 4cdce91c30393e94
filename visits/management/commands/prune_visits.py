from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from visits.services import visits_prune


class Command(BaseCommand):
    help = (
        "Удаляет записи о посещениях старше срока хранения (VISIT_RETENTION_DAYS) "
        "порциями; можно запускать из cron."
    )

    def handle(self, *args, **options) -> None:
        retention_days = settings.VISIT_RETENTION_DAYS
        deleted = visits_prune(older_than=timezone.now() - timedelta(days=retention_days))
        self.stdout.write(f"Удалено записей о посещениях старше {retention_days} дн.: {deleted}")
