"""`manage.py send_receipt_letters MM.YYYY`: queue a month's receipt letters again (after a mail
server outage, say). Nobody gets a month's letter twice."""

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bills.services import receipt_letters_start


class Command(BaseCommand):
    help = "Ставит в очередь письма с квитанцией за месяц тем, кто их ещё не получил."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("month", help="Месяц в виде ММ.ГГГГ.")

    def handle(self, *args: Any, month: str, **options: Any) -> None:
        try:
            period = datetime.datetime.strptime(month, "%m.%Y").date()
        except ValueError:
            raise CommandError("Месяц указывается в виде ММ.ГГГГ, например 11.2026.") from None
        queued = receipt_letters_start(period=period)
        self.stdout.write(self.style.SUCCESS(f"Получателей в очереди: {queued}."))
