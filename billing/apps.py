from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = "Лицевые счета"

    def ready(self) -> None:
        from billing import personal_data  # noqa: F401  (declares what the app holds)
