"""Pages refer to the policy by the names of its sections, and every section they name is a
section of the version in force (the demo's, as `make run` loads it): no clause numbers of
another text."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from privacy.models import PolicyVersion

ROOT = Path(__file__).resolve().parents[2]
# «раздел «…» Политики» or «по Политике (раздел «…»)»; other «разделы» are the site's own.
SECTION = re.compile(r"раздел «([^»]+)» Политик|Политике \(раздел «([^»]+)»\)")
CLAUSE = re.compile(r"п\. ?\d[\d.,–и ]*(?:Политик|политик)")


def _sources() -> list[Path]:
    return [
        path
        for pattern in ("templates/**/*.html", "templates/**/*.txt", "*/*.py")
        for path in ROOT.glob(pattern)
        if "tests" not in path.parts and ".venv" not in path.parts
    ]


def test_no_page_cites_a_clause_number_of_the_policy():
    cited = {
        str(path.relative_to(ROOT)): CLAUSE.findall(path.read_text())
        for path in _sources()
        if CLAUSE.search(path.read_text())
    }
    assert cited == {}


@pytest.mark.django_db
def test_every_section_named_is_a_section_of_the_version_in_force(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    in_force = PolicyVersion.objects.current()
    headings = set(re.findall(r"^#+ *(?:\d+\.)? *(.+?) *$", in_force.body, flags=re.M))

    named = {
        first or second
        for path in _sources()
        for first, second in SECTION.findall(path.read_text())
    }

    assert named, "no section named at all: the pattern went wrong"
    assert named <= headings, sorted(named - headings)
