"""Alice's two years on the portal (tests/pdrequests) serve the checks of every page here too."""

from tests.pdrequests.conftest import (  # noqa: F401 -- fixtures, found by pytest by name
    act,
    alices_history,
    other_apps,
    pd_officer,
)
