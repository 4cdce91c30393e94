from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    """The register of personal-data incidents and the notices to the people they affect."""

    name = "incidents"
    verbose_name = "Инциденты с персональными данными"

    def ready(self) -> None:
        from incidents import personal_data  # noqa: F401  (declares what the app holds)
