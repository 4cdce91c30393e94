from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class LkkConfig(AppConfig):
    default = True
    name = "lkk"
    verbose_name = "ЛКК"

    def ready(self) -> None:
        from lkk import checks, third_party_data  # noqa: F401  (deploy checks; axes, sessions …)


class LkkAdminConfig(admin_apps.AdminConfig):
    """The one admin site, branded for the operator's staff."""

    default = False
    default_site = "lkk.admin.PortalAdminSite"
