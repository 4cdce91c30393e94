"""The static files' storage in production (`STORAGES`): WhiteNoise's compressed manifest
storage, each file's address worked out once per process."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """The manifest is read when the process starts and does not change while it runs, and
    neither does a file's address. Working it out again (the manifest, quoting, joining) for
    each `{% static %}` of the layout was a fortieth of a signed-in page's work."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # As many entries as the templates and code name files: a fixed set.
        self._urls: dict[str, str] = {}

    def url(self, name: str | None, force: bool = False) -> str:
        if force or name is None:
            return super().url(name, force)
        if name not in self._urls:
            self._urls[name] = super().url(name)  # a file missing from the manifest raises
        return self._urls[name]
