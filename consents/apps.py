from django.apps import AppConfig


class ConsentsConfig(AppConfig):
    name = "consents"
    verbose_name = "Согласия и обращения по ПДн"

    def ready(self) -> None:
        from consents import personal_data  # noqa: F401  (declares what the app holds)
