"""`manage.py import_charges FILE [--report PATH]`: a month's (or several months') charges."""

from bills.importer import charges_import
from bills.management.commands._bills_import import BillsImportCommand


class Command(BillsImportCommand):
    importer = staticmethod(charges_import)
    help = (
        "Загружает начисления из выгрузки биллинга (CSV или XLSX, строка на каждую строку "
        "начисления; см. README). Повторная загрузка того же файла ничего не меняет; "
        "изменённый месяц становится новой версией, прежняя сохраняется."
    )
