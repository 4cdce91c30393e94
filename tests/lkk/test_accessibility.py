"""axe-core over every consumer page, signed in and anonymous, on a desktop and on a phone.

The pages come from the URL conf: every pattern outside the admin is requested (with the
arguments of Alice's own records where it takes any); what answers with an HTML page is checked
in the browser. POST-only actions (405), downloads and sign-in redirects drop out by themselves;
the few pages reached only by a signed link are named with the reason below. A new page is
checked without touching this test; a new URL argument fails it until it is given here.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from playwright.sync_api import Page

from tests.conftest import PortalClient

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
NOT_THE_CONSUMERS = {"healthz", "metrics"}
# The development mailbox (DEBUG only) is the developer's page, not the consumer's.
DEVELOPMENT_ONLY = {"dev_mailbox:list", "dev_mailbox:letter"}
# Pages reached only through a signed link from a letter; each has a test of its own.
SIGNED_LINKS = {
    "accounts:verify",
    "accounts:email_change_confirm",
    "accounts:password_reset_confirm",
    "mailings:unsubscribe",
}


def consumer_url_names() -> list[str]:
    """Every named URL pattern outside the admin, as `namespace:name`."""

    def walk(patterns, namespace: str | None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.app_name == "admin":
                    continue
                yield from walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name

    names = set(walk(get_resolver().url_patterns, None))
    return sorted(names - NOT_THE_CONSUMERS - SIGNED_LINKS - DEVELOPMENT_ONLY)


def arguments(alice) -> dict[str, dict[str, object]]:
    """The URL arguments of Alice's own records, by parameter name and URL."""
    from billing.models import AccountLink
    from consents.models import ConsentText
    from feedback.models import FeedbackMessage
    from incidents.models import IncidentNotification
    from meters.models import Reading
    from pdrequests.models import SubjectRequest
    from privacy.models import PolicyVersion
    from servicerequests.models import ServiceRequest

    link = AccountLink.objects.get(user=alice)
    reading = Reading.objects.filter(user=alice).select_related("meter")[0]
    subject_request = SubjectRequest.objects.filter(subject=alice)[0]
    message = FeedbackMessage.objects.filter(user=alice)[0]
    service_request = ServiceRequest.objects.filter(user=alice).select_related("kind")[0]
    common: dict[str, object] = {
        "purpose_code": "account",
        "version": ConsentText.objects.filter(purpose__code="account")[0].version,
        "label": PolicyVersion.objects.in_force()[0].label,
        "code": service_request.kind.code,
    }
    by_name: dict[str, dict[str, object]] = {
        "billing": {"pk": link.pk},
        "bills": {"pk": link.pk, "year": 2026, "month": 11},
        "meters": {"pk": reading.meter_id, "number": reading.number},
        "pdrequests": {"pk": subject_request.pk},
        "feedback:detail": {"pk": message.pk},
        "feedback:rate_message": {"pk": message.pk},
        "incidents": {"pk": IncidentNotification.objects.filter(user=alice)[0].pk},
        "servicerequests": {"pk": service_request.pk, "attachment_pk": 0},
        "accounts": {"pk": 0},
    }
    return {"common": common, **by_name}


def url_of(name: str, args: dict[str, dict[str, object]]) -> str:
    from django.urls import NoReverseMatch

    pattern_kwargs = {**args["common"], **args.get(name.split(":")[0], {}), **args.get(name, {})}
    try:
        return reverse(name)
    except NoReverseMatch:
        pass
    for size in range(1, 4):
        for keys in _subsets(list(pattern_kwargs), size):
            try:
                return reverse(name, kwargs={key: pattern_kwargs[key] for key in keys})
            except NoReverseMatch:
                continue
    raise AssertionError(f"{name}: give this test the arguments of one of Alice's records")


def _subsets(keys: list[str], size: int):
    from itertools import combinations

    return combinations(keys, size)


def html_pages(client: PortalClient, urls: list[str]) -> list[str]:
    """The URLs that answer a GET with an HTML page of their own (no redirect, no download)."""
    pages = []
    for url in urls:
        response = client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            pages.append(url)
    return pages


def serious_violations(page: Page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {node['target']} — {violation['help']}"
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
        for node in violation["nodes"]
    ]


def check(page: Page, base: str, urls: list[str]) -> list[str]:
    found = []
    for width, height in WIDTHS.values():
        page.set_viewport_size({"width": width, "height": height})
        for url in urls:
            page.goto(base + url)
            found += [f"{width}px {url}: {problem}" for problem in serious_violations(page)]
    return found


def test_every_page_a_signed_in_consumer_sees_has_no_serious_accessibility_problem(
    page: Page, live_server, alices_history, browser_login
):
    alice = alices_history
    args = arguments(alice)
    client = PortalClient()
    client.force_login(alice)
    urls = html_pages(client, [url_of(name, args) for name in consumer_url_names()])
    assert len(urls) > 30, urls

    browser_login(alice)
    problems = check(page, live_server.url, urls)
    assert not problems, "\n".join(problems)


def test_every_page_an_anonymous_visitor_sees_has_no_serious_accessibility_problem(
    page: Page, live_server, alices_history
):
    args = arguments(alices_history)
    urls = html_pages(PortalClient(), [url_of(name, args) for name in consumer_url_names()])
    assert reverse("accounts:register") in urls and reverse("feedback:form") in urls

    problems = check(page, live_server.url, urls)
    assert not problems, "\n".join(problems)
