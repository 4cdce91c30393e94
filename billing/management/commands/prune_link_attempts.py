from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from billing.services import link_attempts_prune


class Command(BaseCommand):
    help = (
        "Удаляет журнал попыток привязки лицевых счетов старше срока хранения "
        "(BILLING_LINK_ATTEMPT_RETENTION_DAYS) порциями; можно запускать из cron."
    )

    def handle(self, *args, **options) -> None:
        days = settings.BILLING_LINK_ATTEMPT_RETENTION_DAYS
        deleted = link_attempts_prune(older_than=timezone.now() - timedelta(days=days))
        self.stdout.write(f"Удалено записей о попытках привязки старше {days} дн.: {deleted}")
