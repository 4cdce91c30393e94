"""Blocks other apps add to each account on the dashboard (charges, meters…).

The billing app sits below the apps that know about money or meters, so it does not import
them: each registers a panel in its `AppConfig.ready()`, and the dashboard asks them all. A
panel takes the request and the consumer's links (all of them at once, so that it can answer in a
fixed number of queries) and returns the HTML to show under each link, by link id.
"""

from collections.abc import Callable, Sequence

from django.http import HttpRequest
from django.utils.safestring import SafeString

from billing.models import AccountLink

AccountPanel = Callable[[HttpRequest, Sequence[AccountLink]], dict[int, SafeString]]

_panels: list[AccountPanel] = []


def register_account_panel(panel: AccountPanel) -> None:
    if panel not in _panels:
        _panels.append(panel)


def account_panels(
    request: HttpRequest, links: Sequence[AccountLink]
) -> dict[int, list[SafeString]]:
    """Every registered panel's HTML for each link, in registration order."""
    shown: dict[int, list[SafeString]] = {link.pk: [] for link in links}
    if not links:
        return shown
    for panel in _panels:
        for link_id, html in panel(request, links).items():
            shown[link_id].append(html)
    return shown
