"""`manage.py import_reading_outcomes FILE [--report PATH]`: see README, «Обмен с биллингом»."""

from lkk.exchange_command import ImportCommand
from meters.exchange import OUTCOMES


class Command(ImportCommand):
    kind = OUTCOMES
    cancelled = "Импорт отменён, результаты не изменены."
    help = "Загружает из биллинга результаты учёта переданных показаний (учтено / не учтено)."
