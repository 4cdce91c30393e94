"""`manage.py remind_readings`: daily; one reminder per person and period, never two."""

from typing import Any

from django.core.management.base import BaseCommand

from meters.services import reminders_send


class Command(BaseCommand):
    help = (
        "Напоминает по почте передать показания тем, у кого их ещё нет за текущий период "
        "(с METERS_REMINDER_DAY до конца окна приёма). Повторный запуск писем не повторяет."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        queued = reminders_send()
        self.stdout.write(f"Напоминаний поставлено в очередь: {queued}.")
