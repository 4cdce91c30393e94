from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class LkkConfig(AppConfig):
    default = True
    name = "lkk"
    verbose_name = "ЛКК"

    def ready(self) -> None:
        from django.core.signals import request_finished

        from lkk import checks  # noqa: F401 (registers the deploy checks)
        from lkk.log import request_id_clear

        request_finished.connect(request_id_clear, dispatch_uid="lkk_request_id_clear")


class LkkAdminConfig(admin_apps.AdminConfig):
    """The one admin site, branded for the operator's staff."""

    default = False
    default_site = "lkk.admin.PortalAdminSite"
