"""Demo data for `make run`: idempotent, development only."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from billing.demo import seed_accounts
from privacy.demo import seed_policies

DEMO_ADMIN_EMAIL = "admin@example.ru"
DEMO_ADMIN_PASSWORD = "demo-admin-2026"  # noqa: S105 — printed for the developer on purpose


class Command(BaseCommand):
    help = "Загружает демонстрационные данные (только при DEBUG)."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("Демо-данные загружаются только при DEBUG=true.")
        with transaction.atomic():
            self._ensure_superuser()
            seed_policies()
            demo_number, demo_surname = seed_accounts()
        self.stdout.write(
            self.style.SUCCESS(
                "Портал: http://127.0.0.1:8000/  ·  администрирование: "
                f"http://127.0.0.1:8000/admin/  ·  вход: {DEMO_ADMIN_EMAIL} / {DEMO_ADMIN_PASSWORD}"
            )
        )
        self.stdout.write(
            f"Демо-счёт для привязки: лицевой счёт {demo_number}, фамилия владельца {demo_surname}."
        )

    def _ensure_superuser(self) -> None:
        User = get_user_model()
        if not User.objects.filter(email=DEMO_ADMIN_EMAIL).exists():
            User.objects.create_superuser(
                DEMO_ADMIN_EMAIL,
                DEMO_ADMIN_PASSWORD,
                last_name="Демонстрационный",
                first_name="Администратор",
            )
