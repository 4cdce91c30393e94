from django.apps import AppConfig


class ConsentsConfig(AppConfig):
    name = "consents"
    verbose_name = "Согласия и обращения по ПДн"

    def ready(self) -> None:
        from consents import checks, personal_data  # noqa: F401  (deploy check; declarations)
        from consents.models import SubjectRequest
        from lkk.personal_data import register_blocking

        register_blocking(lambda: SubjectRequest.objects.blocking_in_force().values("subject"))
