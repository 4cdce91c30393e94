"""Alice's two years on the portal (tests/consents) serve the checks of every page here too."""

from tests.consents.conftest import (  # noqa: F401 -- fixtures, found by pytest by name
    act,
    alices_history,
    give,
    other_apps,
    pd_officer,
    publish_policy,
)
