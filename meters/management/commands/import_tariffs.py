"""`manage.py import_tariffs FILE [--report PATH]`: see README, «Обмен с биллингом»."""

from lkk.exchange_command import ImportCommand
from meters.exchange import TARIFFS


class Command(ImportCommand):
    kind = TARIFFS
    cancelled = "Импорт отменён, тарифы не изменены."
    help = "Загружает тарифы (цены за кВт·ч по зонам и категориям) из CSV или XLSX."
