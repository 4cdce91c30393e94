from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = "Политика обработки ПДн"

    def ready(self) -> None:
        from privacy import checks, personal_data  # noqa: F401  (a deploy check; declarations)
