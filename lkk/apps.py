from axes import apps as axes_apps
from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django_tasks_db import apps as tasks_apps


class LkkConfig(AppConfig):
    default = True
    name = "lkk"
    verbose_name = "ЛКК"

    def ready(self) -> None:
        from django.core.signals import request_finished
        from django.tasks.signals import task_finished, task_started

        from lkk import checks, third_party_data  # noqa: F401  (deploy checks; axes, sessions …)
        from lkk.log import request_id_clear, task_id_clear, task_id_set

        request_finished.connect(request_id_clear, dispatch_uid="lkk_request_id_clear")
        task_started.connect(task_id_set, dispatch_uid="lkk_task_id_set")
        task_finished.connect(task_id_clear, dispatch_uid="lkk_task_id_clear")


class LkkAdminConfig(admin_apps.AdminConfig):
    """The one admin site, branded for the operator's staff."""

    default = False
    default_site = "lkk.admin.PortalAdminSite"


class AxesConfig(axes_apps.AppConfig):
    """django-axes under a Russian name in the admin."""

    verbose_name = "Попытки входа"


class TasksConfig(tasks_apps.TasksAppConfig):
    """django-tasks-db under a Russian name in the admin (its models: locale/ru)."""

    verbose_name = "Фоновые задачи"
