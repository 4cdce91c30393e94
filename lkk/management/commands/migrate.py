"""`migrate` as the tables' owner (DATABASE_MIGRATE_URL) while the site runs as a role that
may only read and write rows: Django's command, on a connection with the owner's credentials."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import environ
from django.conf import settings
from django.core.management.commands.migrate import Command as DjangoMigrateCommand
from django.db import connections

CREDENTIALS = ("USER", "PASSWORD", "HOST", "PORT")


@contextmanager
def owner_credentials(alias: str, url: str) -> Iterator[None]:
    """The connection `alias` logs in with the credentials of `url` meanwhile, to the same
    database; the site's own credentials come back afterwards."""
    connection = connections[alias]
    owner = environ.Env.db_url_config(url)
    saved = {key: connection.settings_dict.get(key) for key in CREDENTIALS}
    connection.close()
    connection.settings_dict.update({key: owner.get(key, "") for key in CREDENTIALS})
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.update(saved)


class Command(DjangoMigrateCommand):
    def handle(self, *args: Any, **options: Any) -> None:
        url = getattr(settings, "DATABASE_MIGRATE_URL", "")
        if not url:
            super().handle(*args, **options)
            return
        with owner_credentials(options["database"], url):
            super().handle(*args, **options)
