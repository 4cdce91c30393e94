"""Registry imports are counted for the monitoring system (`/metrics`)."""

import pytest
from django.core.management import CommandError, call_command
from prometheus_client import REGISTRY

from tests.billing.test_importer import ROWS

pytestmark = pytest.mark.django_db


def counted(name: str, **labels: str) -> float:
    """A counter of the registry's kind of file."""
    labels = {"kind": "billing_accounts", **labels}
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_an_import_is_counted_with_what_became_of_its_rows(write_csv):
    before = {
        "succeeded": counted("lkk_imports_total", outcome="succeeded"),
        "created": counted("lkk_import_rows_total", result="created"),
        "rejected": counted("lkk_import_rows_total", result="rejected"),
    }
    path = write_csv([*ROWS, ["12345", "г. Пушкино", "Иванов П. И.", "", ""]])

    call_command("import_accounts", str(path), verbosity=0)

    assert counted("lkk_imports_total", outcome="succeeded") == before["succeeded"] + 1
    assert counted("lkk_import_rows_total", result="created") == before["created"] + 2
    assert counted("lkk_import_rows_total", result="rejected") == before["rejected"] + 1


def test_a_refused_import_is_counted_as_failed(write_csv):
    before = counted("lkk_imports_total", outcome="failed")
    path = write_csv([["12345", "", "", "", ""]])

    with pytest.raises(CommandError):
        call_command("import_accounts", str(path), "--full", verbosity=0)

    assert counted("lkk_imports_total", outcome="failed") == before + 1
