"""`manage.py import_meters FILE [--full] [--report PATH]`: see README, «Обмен с биллингом»."""

from lkk.exchange_command import ImportCommand
from meters.exchange import METERS


class Command(ImportCommand):
    kind = METERS
    cancelled = "Импорт отменён, счётчики не изменены."
    help = (
        "Загружает счётчики лицевых счетов из выгрузки биллинга (CSV или XLSX). "
        "Столбцы — в README, раздел «Обмен с биллингом»."
    )
