from django.core.management.base import BaseCommand
from django.utils import timezone

from pdrequests.services import due_requests_remind
from workcalendar.terms import moscow_date


class Command(BaseCommand):
    help = (
        "Письма исполнителям и ответственным за ПДн об обращениях, срок которых истекает в "
        "ближайшие 2 рабочих дня или уже истёк. Раз в день из cron; повторный запуск в тот же "
        "день писем не повторяет."
    )

    def handle(self, *args, **options) -> None:
        queued = due_requests_remind(today=moscow_date(timezone.now()))
        self.stdout.write(f"Писем с напоминанием поставлено в очередь: {queued}")
