from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = "Обращения и оценки"

    def ready(self) -> None:
        from cases.registry import case_model_register
        from feedback.models import FeedbackMessage

        case_model_register(FeedbackMessage)  # reminded of by `remind_due_cases`
        from feedback import personal_data  # noqa: F401  (declares what the app holds)
