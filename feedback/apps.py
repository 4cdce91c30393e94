from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = "Обращения и оценки"

    def ready(self) -> None:
        from feedback import personal_data  # noqa: F401  (declares what the app holds)
