from django.core.management.base import BaseCommand
from django.utils import timezone

from incidents.services import incident_alerts_queue


class Command(BaseCommand):
    help = (
        "Письма ответственным за ПДн о сроках инцидентов (ч. 3.1 ст. 21 152-ФЗ): о новом "
        "инциденте, о приближении и истечении сроков 24 и 72 часа, пока уведомление не "
        "отмечено. Каждые 15 минут из cron; каждое предупреждение уходит один раз."
    )

    def handle(self, *args, **options) -> None:
        queued = incident_alerts_queue(now=timezone.now())
        self.stdout.write(f"Писем о сроках инцидентов поставлено в очередь: {queued}")
