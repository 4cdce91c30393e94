from django.apps import AppConfig


class CasesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cases"
    verbose_name = "Ход рассмотрения обращений и заявок"

    def ready(self) -> None:
        from cases import personal_data  # noqa: F401  (declares what the app holds)
