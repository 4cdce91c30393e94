"""The apps form a stack that a reader can draw, and imports point down it.

    lkk  ←  workcalendar  ←  accounts, privacy  ←  consents, staff  ←  domain apps

`lkk` holds project-wide helpers; `workcalendar` the production calendar; `accounts` and
`privacy` the people and the policy; `consents` the consent records and `staff` the foundation
every admin uses (roles, masking, the access journal); then the domain apps. The graph is read
from the source (every `import`, those inside functions included) of each app, migrations and
tests aside.

Two lists name what does not hold yet; both may only shrink (a test fails on an entry that no
longer applies), and any new upward import or cycle fails at once:
- `KNOWN_UPWARD`: imports from a lower layer to a higher one, chiefly the PD subject requests
  living in `consents` (destruction and export reach into every domain app) and the PD desk
  living in `staff`. Moving them into their own app on top of the stack empties it.
- `KNOWN_CYCLE_EDGES`: imports between apps of the same layer that close a cycle.
"""

import ast
import itertools
from pathlib import Path

from django.apps import apps
from django.conf import settings

ROOT = Path(settings.BASE_DIR)

LAYERS = {
    "lkk": 0,
    "workcalendar": 1,
    "accounts": 2,
    "privacy": 2,
    "consents": 3,
    "staff": 3,
    "billing": 4,
    "visits": 4,
    "feedback": 4,
    "incidents": 4,
    "mailings": 4,
    # Apps being built: the domain layer.
    "meters": 4,
    "bills": 4,
    "cases": 4,
    "servicerequests": 4,
    "pdrequests": 5,
}

# The project's composition root: it wires every app together, so it may import any of them.
COMPOSITION_ROOT = {"lkk/management/commands/seed_demo.py", "lkk/urls.py", "lkk/settings.py"}

# (importer, imported): upward imports that exist today. Must shrink to empty.
KNOWN_UPWARD = {
    ("lkk", "accounts"),  # lkk.letters: the User type of greeting_name (annotations only)
    ("accounts", "consents"),  # registration records the consents given with it
    ("accounts", "staff"),  # the user admin uses the masking mixin and the access journal
    # Whether a person's PD is blocked, or was destroyed, is asked of the PD requests.
    ("accounts", "pdrequests"),
    ("bills", "pdrequests"),
    ("feedback", "pdrequests"),  # and the ratings of PD requests
    ("incidents", "pdrequests"),
    ("mailings", "pdrequests"),
    ("meters", "pdrequests"),
    ("staff", "pdrequests"),
}
# (importer, imported) within one layer that close a cycle. Must shrink to empty.
KNOWN_CYCLE_EDGES = {
    ("staff", "consents"),  # the retention journal's admin uses consents' read-only base
}


def project_apps() -> list[str]:
    """The installed apps whose code is in this repository."""
    return sorted(
        config.name
        for config in apps.get_app_configs()
        if Path(config.path).resolve().parent == ROOT.resolve()
    )


def imported_apps(app: str) -> dict[str, set[str]]:
    """Every other project app that `app` imports, with the files that import it."""
    names = set(project_apps())
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / app).rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if "migrations" in path.parts or relative in COMPOSITION_ROOT:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                if top in names and top != app:
                    found.setdefault(top, set()).add(relative)
    return found


def import_graph() -> dict[str, dict[str, set[str]]]:
    return {app: imported_apps(app) for app in project_apps()}


def cycles(edges: set[tuple[str, str]]) -> list[list[str]]:
    """The strongly connected components of more than one app (Tarjan), each sorted."""
    graph: dict[str, list[str]] = {}
    for source, target in edges:
        graph.setdefault(source, []).append(target)
        graph.setdefault(target, [])
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = itertools.count()

    def visit(node: str) -> None:
        index[node] = low[node] = next(counter)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def edges_of(graph: dict[str, dict[str, set[str]]]) -> set[tuple[str, str]]:
    return {(source, target) for source, targets in graph.items() for target in targets}


def test_every_app_has_a_place_in_the_stack():
    assert set(project_apps()) <= LAYERS.keys(), "add the new app to LAYERS"


def test_imports_point_down_the_stack():
    graph = import_graph()
    upward = {
        f"{source} → {target} ({', '.join(sorted(files))})"
        for source, targets in graph.items()
        for target, files in targets.items()
        if LAYERS[target] > LAYERS[source] and (source, target) not in KNOWN_UPWARD
    }

    assert not upward, "imports from a lower layer to a higher one:\n" + "\n".join(sorted(upward))


def test_apart_from_the_known_exceptions_the_import_graph_has_no_cycle():
    edges = edges_of(import_graph()) - KNOWN_UPWARD - KNOWN_CYCLE_EDGES

    assert cycles(edges) == []


def test_the_lists_of_exceptions_only_name_imports_that_still_exist():
    """An exception fixed is an exception deleted: the lists shrink to empty."""
    edges = edges_of(import_graph())

    assert edges >= KNOWN_UPWARD, f"no longer imported: {sorted(KNOWN_UPWARD - edges)}"
    assert edges >= KNOWN_CYCLE_EDGES, f"no longer imported: {sorted(KNOWN_CYCLE_EDGES - edges)}"


def test_the_cycle_finder_finds_cycles():
    assert cycles({("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")}) == [["a", "b", "c"]]
    assert cycles({("a", "b"), ("b", "c")}) == []
