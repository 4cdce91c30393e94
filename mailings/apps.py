from django.apps import AppConfig


class MailingsConfig(AppConfig):
    """News and offers by email, only with the mailings consent in force."""

    name = "mailings"
    verbose_name = "Рассылки"

    def ready(self) -> None:
        from mailings import personal_data  # noqa: F401  (declares what the app holds)
