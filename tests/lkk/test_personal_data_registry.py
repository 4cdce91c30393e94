"""The registry of personal data: every model that can hold a person's data is declared by some
app, and `consents` reaches the apps it serves only through the registry."""

import ast
import re
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models

from lkk import personal_data

ROOT = Path(__file__).resolve().parents[2]

# A field holding a person's identifier, by its type or its name.
PD_FIELD_TYPES = (models.EmailField, models.GenericIPAddressField)
PD_FIELD_NAME = re.compile(
    r"(^|_)(email|phone|ip|ip_address|user_agent|username|patronymic)$|_name$"
)


def _holds_personal_data(model: type[models.Model]) -> list[str]:
    """The fields that make `model` a store of personal data (empty if none)."""
    found = []
    for field in model._meta.get_fields():
        if not field.concrete:
            continue
        if field.many_to_one or field.one_to_one:
            if field.related_model is not None and (
                field.related_model._meta.label == settings.AUTH_USER_MODEL
            ):
                found.append(field.name)
            continue
        if isinstance(field, PD_FIELD_TYPES) or PD_FIELD_NAME.search(field.name):
            found.append(field.name)
    return found


def test_every_model_with_personal_data_is_declared_by_some_app():
    declared = personal_data.declared_models()

    undeclared = {
        model._meta.label: fields
        for model in apps.get_models()
        if not model._meta.proxy
        and (fields := _holds_personal_data(model))
        and model._meta.label not in declared
    }

    assert undeclared == {}, (
        "Declare these models in their app's personal_data.py (see lkk/personal_data.py)"
    )


def test_the_check_itself_sees_the_usual_suspects():
    """The heuristics catch what they must, so the test above can fail."""
    label = {m._meta.label: m for m in apps.get_models()}
    assert _holds_personal_data(label["feedback.FeedbackMessage"]) >= [
        "user",
        "guest_name",
        "guest_email",
    ]
    assert _holds_personal_data(label["axes.AccessLog"]) == ["user_agent", "ip_address", "username"]
    assert _holds_personal_data(label["privacy.PolicyVersion"]) == ["published_by"]
    assert _holds_personal_data(label["workcalendar.CalendarOverride"]) == ["created_by"]
    assert _holds_personal_data(label["auth.Group"]) == []


def test_every_declared_model_exists():
    labels = {m._meta.label for m in apps.get_models()}

    assert sorted(personal_data.declared_models() - labels) == []


def test_every_category_states_what_the_law_asks():
    for category in personal_data.categories():
        described = personal_data.describe(category)
        assert all(
            described[item]
            for item in ("title", "data", "purpose", "legal_basis", "source", "retention", "system")
        ), category.key
        assert category.key.split(".")[0] in {c.label for c in apps.get_app_configs()}


def test_every_retention_setting_exists_with_a_positive_number_of_days():
    for category in personal_data.categories():
        if category.retention.setting:
            assert getattr(settings, category.retention.setting) > 0, category.key


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def test_consents_imports_none_of_the_apps_it_serves():
    served = {"billing", "feedback", "incidents", "visits", "mailings", "axes"}

    offending = {
        str(path.relative_to(ROOT)): sorted(_imports(path) & served)
        for path in (ROOT / "consents").rglob("*.py")
        if _imports(path) & served
    }

    assert offending == {}


def test_the_registry_imports_no_app():
    apps_of_the_project = {c.label for c in apps.get_app_configs()} - {"lkk"}
    for module in ("personal_data.py", "pruning.py"):
        assert _imports(ROOT / "lkk" / module) & apps_of_the_project == set(), module
