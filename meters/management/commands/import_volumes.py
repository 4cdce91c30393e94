"""`manage.py import_volumes FILE [--report PATH]`: see README, «Обмен с биллингом»."""

from lkk.exchange_command import ImportCommand
from meters.exchange import VOLUMES


class Command(ImportCommand):
    kind = VOLUMES
    cancelled = "Импорт отменён, объёмы не изменены."
    help = "Загружает из биллинга объёмы за месяц по счётчикам и их источник."
