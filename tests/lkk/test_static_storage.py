"""Production's static files' storage: the manifest's addresses, each worked out once."""

import json
from unittest import mock

import pytest

from lkk.static_storage import StaticFilesStorage


@pytest.fixture
def storage(tmp_path) -> StaticFilesStorage:
    """A storage over a collected manifest naming one file."""
    manifest = {"paths": {"css/site.css": "css/site.0123456789ab.css"}, "version": "1.1"}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    return StaticFilesStorage(location=tmp_path, base_url="/static/")


def test_a_file_is_served_under_its_hashed_name(storage):
    assert storage.url("css/site.css") == "/static/css/site.0123456789ab.css"


def test_the_address_is_worked_out_once(storage):
    storage.url("css/site.css")
    with mock.patch.object(StaticFilesStorage, "stored_name") as stored_name:
        assert storage.url("css/site.css") == "/static/css/site.0123456789ab.css"
    stored_name.assert_not_called()


def test_a_file_missing_from_the_manifest_fails_every_time(storage):
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("css/missing.css")
