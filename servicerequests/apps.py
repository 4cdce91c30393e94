from django.apps import AppConfig


class ServiceRequestsConfig(AppConfig):
    name = "servicerequests"
    verbose_name = "Заявки"

    def ready(self) -> None:
        from cases.registry import case_model_register
        from servicerequests.models import ServiceRequest

        case_model_register(ServiceRequest)  # reminded of by `remind_due_cases`
        from servicerequests import personal_data  # noqa: F401  (declares what the app holds)
