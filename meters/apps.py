from django.apps import AppConfig


class MetersConfig(AppConfig):
    name = "meters"
    verbose_name = "Счётчики и показания"

    def ready(self) -> None:
        from meters import personal_data  # noqa: F401  (declares what the app holds)
