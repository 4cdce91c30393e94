"""The case models of the apps above, each registered from its AppConfig.ready(): the daily
reminder loops over them without importing those apps."""

from django.db import models

CASE_MODELS: list[type[models.Model]] = []


def case_model_register(model: type[models.Model]) -> None:
    if model not in CASE_MODELS:
        CASE_MODELS.append(model)
