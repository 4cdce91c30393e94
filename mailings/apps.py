from django.apps import AppConfig


class MailingsConfig(AppConfig):
    """News and offers by email, only with the mailings consent in force."""

    name = "mailings"
    verbose_name = "Рассылки"
