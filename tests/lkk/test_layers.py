"""The apps form a stack that a reader can draw, and imports point down it.

    lkk  ←  workcalendar  ←  privacy, staff  ←  consents  ←  accounts  ←  domain apps  ←  pdrequests

- `lkk`: project-wide helpers (letters, dates, limits, the admin site and its bases, the registry
  of personal data);
- `workcalendar`: the production calendar and the terms counted in it;
- `privacy`: the policy; `staff`: the foundation every admin page stands on (roles, masking, who
  may see personal data, the journal of staff access to it);
- `consents`: consent purposes, texts and records;
- `accounts`: the web accounts: registration (which records the consents given with it), sign-in,
  the profile, the user admin. The user model itself is named by `settings.AUTH_USER_MODEL`
  below it, which is not an import;
- the domain apps: billing, bills, meters, cases, service requests, feedback, incidents,
  mailings, visits;
- `pdrequests`: PD subject requests, which destroy and export the data of every app below.

Lower apps learn what the requests say of a person (blocked, destroyed) from the registry
(`lkk.personal_data.subject_states`), and hear of a withdrawn consent by a signal. The graph is
read from the source (every `import`, those inside functions included) of each app, migrations
and tests aside; an import from a lower layer to a higher one, or a cycle, fails.
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
    "privacy": 2,
    "staff": 2,
    "consents": 3,
    "accounts": 4,
    "billing": 5,
    "visits": 5,
    "feedback": 5,
    "incidents": 5,
    "mailings": 5,
    "meters": 5,
    "bills": 5,
    "cases": 5,
    "servicerequests": 5,
    "pdrequests": 6,
}

# The project's composition root: it wires every app together, so it may import any of them.
COMPOSITION_ROOT = {"lkk/management/commands/seed_demo.py", "lkk/urls.py", "lkk/settings.py"}


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
        if LAYERS[target] > LAYERS[source]
    }

    assert not upward, "imports from a lower layer to a higher one:\n" + "\n".join(sorted(upward))


def test_the_import_graph_has_no_cycle():
    assert cycles(edges_of(import_graph())) == []


def test_the_cycle_finder_finds_cycles():
    assert cycles({("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")}) == [["a", "b", "c"]]
    assert cycles({("a", "b"), ("b", "c")}) == []
