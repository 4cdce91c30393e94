from django.apps import AppConfig


class WorkcalendarConfig(AppConfig):
    name = "workcalendar"
    verbose_name = "Производственный календарь"

    def ready(self) -> None:
        from workcalendar import personal_data  # noqa: F401  (declares what the app holds)
