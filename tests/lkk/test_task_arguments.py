"""Task arguments carry ids, never addresses or names: the task table keeps its rows for
TASK_RESULT_RETENTION_DAYS, and what a letter needs is read when it goes out."""

import ast
import importlib
import inspect
from pathlib import Path

from django.apps import apps
from django.tasks import Task

ROOT = Path(__file__).resolve().parents[2]
# Besides ids: the retry machinery's own, a month (`period`, "2026-11-01") and which letter of a
# task to send (`about`, "answer"). Neither can hold anything about a person.
ALLOWED = {"attempt", "context", "period", "about"}


def _allowed(name: str) -> bool:
    return name in ALLOWED or name.endswith(("_id", "_ids"))


def test_every_task_takes_only_ids():
    tasks: dict[str, list[str]] = {}
    for config in apps.get_app_configs():
        if not Path(config.path).is_relative_to(ROOT):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tasks")
        except ModuleNotFoundError:
            continue
        for name, value in vars(module).items():
            if isinstance(value, Task):
                function = getattr(value.func, "letter_function", value.func)  # inside @letter_task
                tasks[f"{config.name}.{name}"] = list(inspect.signature(function).parameters)

    assert len(tasks) >= 8  # the check sees the letters of every app
    assert {task: [p for p in params if not _allowed(p)] for task, params in tasks.items()} == {
        task: [] for task in tasks
    }


def _enqueue_keywords(path: Path) -> list[tuple[int, str]]:
    """(line, keyword) of every keyword passed to `.enqueue(` or `partial(….enqueue, …)`."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        is_enqueue = isinstance(func, ast.Attribute) and func.attr == "enqueue"
        is_partial = (
            isinstance(func, ast.Name)
            and func.id == "partial"
            and node.args
            and isinstance(node.args[0], ast.Attribute)
            and node.args[0].attr == "enqueue"
        )
        if is_enqueue or is_partial:
            found += [(node.lineno, k.arg) for k in node.keywords if k.arg is not None]
    return found


def test_every_enqueue_in_the_code_passes_only_ids():
    offending = [
        f"{path.relative_to(ROOT)}:{line} {keyword}"
        for path in ROOT.glob("*/**/*.py")
        if not path.relative_to(ROOT).parts[0].startswith((".", "tests"))
        for line, keyword in _enqueue_keywords(path)
        if not _allowed(keyword)
    ]

    assert offending == []
