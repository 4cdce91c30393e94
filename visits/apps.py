from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "visits"
    verbose_name = "Статистика посещений"

    def ready(self) -> None:
        from visits import personal_data  # noqa: F401  (declares what the app holds)
