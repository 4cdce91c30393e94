from django.apps import AppConfig


class ServiceRequestsConfig(AppConfig):
    name = "servicerequests"
    verbose_name = "Заявки"

    def ready(self) -> None:
        from cases.registry import case_model_register
        from feedback.models import FeedbackMessage
        from servicerequests.models import ServiceRequest

        # Feedback sits below this app and has no AppConfig of its own to do it from.
        case_model_register(FeedbackMessage)
        case_model_register(ServiceRequest)
