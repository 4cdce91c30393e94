"""Demo data for `make run`: idempotent, development only."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.services import registration_open
from billing.demo import seed_accounts
from bills.demo import seed_bills
from consents.demo import seed_consents
from feedback.demo import seed_feedback
from meters.demo import seed_meters
from privacy.demo import seed_policies
from servicerequests.demo import seed_service_requests
from staff.demo import DEMO_PASSWORD as DEMO_STAFF_PASSWORD
from staff.demo import seed_staff

# Printed for the developer on purpose: these accounts exist only with DEBUG on.
DEMO_ADMIN = ("admin@example.ru", "demo-admin-2026")
DEMO_CONSUMER = ("consumer@example.ru", "demo-consumer-2026")


class Command(BaseCommand):
    help = "Загружает демонстрационные данные (только при DEBUG)."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("Демо-данные загружаются только при DEBUG=true.")
        with transaction.atomic():
            self._ensure_user(DEMO_ADMIN, is_staff=True, is_superuser=True, last_name="Админов")
            seed_policies()
            if not registration_open():
                raise CommandError("После загрузки демо-данных нет действующей политики.")
            demo_number, demo_surname = seed_accounts()
            staff = seed_staff()
            consumer = self._ensure_user(
                DEMO_CONSUMER, last_name="Соловьёва", first_name="Мария", phone="+79161234567"
            )
            seed_consents(user=consumer)
            officer = get_user_model().objects.get(email=staff[0][0])
            seed_feedback(consumer=consumer, specialist=officer)
            seed_meters(consumer=consumer)
            bills_account = seed_bills(consumer=consumer)
            seed_service_requests(consumer=consumer, specialist=officer)

        lines = [
            "Портал: http://127.0.0.1:8000/  ·  администрирование: http://127.0.0.1:8000/admin/",
            f"Суперпользователь: {DEMO_ADMIN[0]} / {DEMO_ADMIN[1]}",
            *(f"{group}: {email} / {DEMO_STAFF_PASSWORD}" for email, group in staff),
            "Сотрудники при первом входе подключают приложение-аутентификатор (QR-код на экране).",
            f"Потребитель: {DEMO_CONSUMER[0]} / {DEMO_CONSUMER[1]}",
            f"Лицевой счёт для привязки: {demo_number}, фамилия владельца {demo_surname}.",
            f"Начисления и платежи за 24 месяца: счёт {bills_account.number} потребителя.",
        ]
        self.stdout.write(self.style.SUCCESS("\n".join(lines)))

    def _ensure_user(self, credentials: tuple[str, str], **fields):
        email, password = credentials
        User = get_user_model()
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email, password, **fields)
        return user
