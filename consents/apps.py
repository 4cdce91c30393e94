from django.apps import AppConfig


class ConsentsConfig(AppConfig):
    name = "consents"
    verbose_name = "Согласия на обработку ПДн"

    def ready(self) -> None:
        from consents import checks, personal_data  # noqa: F401  (deploy check; declarations)
