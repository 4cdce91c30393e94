"""`manage.py grant_app_role lkk_app`, run as the tables' owner: the site's role may read and
write rows of every table, now and after later migrations, and nothing more — no TRUNCATE, no
trigger, no change of a table (only an owner may drop or disable a trigger)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction

from lkk.db import app_role_grants


class Command(BaseCommand):
    help = "Даёт роли сайта права на строки всех таблиц (запускать от имени владельца таблиц)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("role", help="роль PostgreSQL, от имени которой работает сайт")

    def handle(self, *args: Any, role: str, **options: Any) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in app_role_grants(role):
                cursor.execute(statement)
        self.stdout.write(f"Права роли {role} выданы.")
