from django.core.management.base import BaseCommand
from django.utils import timezone

from cases.services import due_cases_remind
from workcalendar.terms import moscow_date


class Command(BaseCommand):
    help = (
        "Письма специалистам о заявках и обращениях, срок которых истекает в ближайшие 2 "
        "рабочих дня или уже истёк. Раз в день из cron; повторный запуск в тот же день писем "
        "не повторяет."
    )

    def handle(self, *args, **options) -> None:
        queued = due_cases_remind(today=moscow_date(timezone.now()))
        self.stdout.write(f"Писем с напоминанием поставлено в очередь: {queued}")
