"""`manage.py import_accounts FILE [--full] [--report PATH]`: load the billing export."""

from billing.importer import ACCOUNTS
from lkk.exchange_command import ImportCommand


class Command(ImportCommand):
    kind = ACCOUNTS
    cancelled = "Импорт отменён, реестр не изменён."
    full_help = "Полная выгрузка: действующие счета, которых нет в файле, закрываются."
    help = (
        "Загружает реестр лицевых счетов из выгрузки биллинга: CSV (UTF-8 или Windows-1251, "
        "разделитель «;» или «,») или XLSX. Столбцы: Лицевой счёт; Адрес; ФИО; "
        "Номер счётчика; Статус."
    )
