from django.apps import AppConfig


class PdrequestsConfig(AppConfig):
    """PD subject requests: their models, workflow, letters, destruction and data export, the
    consumer's pages and the staff desk."""

    name = "pdrequests"
    verbose_name = "Запросы субъектов ПДн"

    def ready(self) -> None:
        # The registry's declarations; the receiver filing a request when the required
        # consent is withdrawn.
        from pdrequests import personal_data, services  # noqa: F401
