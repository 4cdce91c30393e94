from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Max, Min
from django.utils import timezone

from visits.models import DailyVisitStats, Visit
from visits.services import visit_stats_rebuild


class Command(BaseCommand):
    help = (
        "Собирает дневную статистику посещений для страницы статистики. Без параметров — "
        "за дни после последнего собранного по вчерашний; повторный запуск за день заменяет его."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--since", type=date.fromisoformat, help="первый день, ГГГГ-ММ-ДД")
        parser.add_argument(
            "--until", type=date.fromisoformat, help="последний день (по умолчанию вчера)"
        )

    def handle(self, *args, since: date | None, until: date | None, **options) -> None:
        until = until or timezone.localdate() - timedelta(days=1)
        if since is not None and since > until:
            raise CommandError("Первый день (--since) позже последнего (--until).")
        since = since or self._first_day_not_aggregated()
        if since is None or since > until:
            self.stdout.write("Собирать нечего: статистика собрана по вчерашний день.")
            return
        day = since
        while day <= until:
            visit_stats_rebuild(day=day)
            day += timedelta(days=1)
        days = (until - since).days + 1
        self.stdout.write(f"Собрана статистика за {days} дн.: с {since} по {until}")

    @staticmethod
    def _first_day_not_aggregated() -> date | None:
        last = DailyVisitStats.objects.aggregate(last=Max("day"))["last"]
        if last is not None:
            return last + timedelta(days=1)
        first_visit = Visit.objects.aggregate(first=Min("time"))["first"]
        return timezone.localdate(first_visit) if first_visit else None
