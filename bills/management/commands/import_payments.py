"""`manage.py import_payments FILE [--report PATH]`: payments received by billing."""

from bills.importer import payments_import
from bills.management.commands._bills_import import BillsImportCommand


class Command(BillsImportCommand):
    importer = staticmethod(payments_import)
    help = (
        "Загружает платежи из выгрузки биллинга (CSV или XLSX; см. README). Платёж узнаётся "
        "по номеру в биллинге: повторная загрузка ничего не меняет, изменённый — обновляется."
    )
