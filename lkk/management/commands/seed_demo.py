"""Demo data for `make run`: idempotent, development only."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction

from accounts.services import registration_open
from billing.demo import linkable_account, seed_accounts
from billing.models import AccountLink
from bills.demo import seed_bills
from consents.demo import seed_consents
from feedback.demo import seed_feedback
from lkk.exchange import IMPORTED_DATA_GENERATION
from lkk.person_cache import generation_next
from meters.demo import seed_meters
from pdrequests.demo import seed_subject_requests
from privacy.demo import seed_policies
from servicerequests.demo import seed_service_requests
from staff.demo import DEMO_PASSWORD as DEMO_STAFF_PASSWORD
from staff.demo import DEMO_STAFF, seed_staff

# Printed for the developer on purpose: these accounts exist only with DEBUG on.
DEMO_ADMIN = ("admin@example.ru", "demo-admin-2026")
DEMO_CONSUMER = ("consumer@example.ru", "demo-consumer-2026")


def demo_logins() -> list[str]:
    """What `make run` ends with: the demo logins, once the server listens (lkk's runserver),
    so that they are the last lines on the screen. Empty without the demo data, or before
    `migrate` has made the tables (runserver started by hand)."""
    try:
        consumer = get_user_model().objects.filter(email=DEMO_CONSUMER[0]).first()
    except DatabaseError:
        return []
    if consumer is None:
        return []
    number, surname = linkable_account()
    link = AccountLink.objects.active().filter(user=consumer).select_related("account").first()
    return [
        "Портал: http://127.0.0.1:8000/  ·  администрирование: http://127.0.0.1:8000/admin/",
        f"Суперпользователь: {DEMO_ADMIN[0]} / {DEMO_ADMIN[1]}",
        *(f"{group}: {email} / {DEMO_STAFF_PASSWORD}" for email, _l, _f, group in DEMO_STAFF),
        "Сотрудники при первом входе подключают приложение-аутентификатор (QR-код на экране).",
        f"Потребитель: {DEMO_CONSUMER[0]} / {DEMO_CONSUMER[1]}",
        f"Лицевой счёт для привязки: {number}, фамилия владельца {surname}.",
        *(
            [f"Начисления и платежи за 24 месяца: счёт {link.account.number} потребителя."]
            if link is not None
            else []
        ),
    ]


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
            seed_accounts()
            seed_staff()
            consumer = self._ensure_user(
                DEMO_CONSUMER, last_name="Соловьёва", first_name="Мария", phone="+79161234567"
            )
            seed_consents(user=consumer)
            officer = get_user_model().objects.get(email=DEMO_STAFF[0][0])
            seed_feedback(consumer=consumer, specialist=officer)
            seed_meters(consumer=consumer)
            seed_bills(consumer=consumer)
            seed_service_requests(consumer=consumer, specialist=officer)
            seed_subject_requests(user=consumer, officer=officer)
            # Written here without the importers: pages kept from imported data start again.
            generation_next(IMPORTED_DATA_GENERATION)
        if options["verbosity"] > 0:
            self.stdout.write(self.style.SUCCESS("\n".join(demo_logins())))

    def _ensure_user(self, credentials: tuple[str, str], **fields):
        email, password = credentials
        User = get_user_model()
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email, password, **fields)
        return user
