"""No English in what a consumer reads, nor on the admin's index: every page the demo consumer
reaches by following links from the dashboard is rendered and its visible text (and the texts
assistive technology reads: labels, titles, placeholders) is searched for Latin words.

Data that is not the page's own text — keys, codes, a meter's model, a browser's name in the
data export — is marked `translate="no"` in the templates and skipped."""

import re
from html.parser import HTMLParser
from io import StringIO
from pprint import pformat
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from lkk.management.commands.seed_demo import DEMO_ADMIN, DEMO_CONSUMER

pytestmark = pytest.mark.django_db

# Latin words that belong in Russian text: names of products and standards, units, formats.
ALLOWED = {
    # formats, standards and abbreviations Russian text uses as they are
    "pdf", "csv", "xlsx", "json", "jpeg", "png", "qr", "ip", "sms", "id", "url", "utc",
    "html", "https", "totp", "postgresql",
    # products and services named by their own names
    "google", "microsoft", "authenticator", "freeotp", "chrome", "chromium", "firefox",
    "safari", "edge", "linux", "windows", "android", "ios", "mac", "os", "x", "yandex",
    "glitchtip", "sentry", "whatsapp", "telegram",
    # the term Russian law and usage keep («файлы cookie»)
    "cookie", "cookies",
}  # fmt: skip
# Addresses, emails and file names in visible text are not words of the page.
NOT_WORDS = re.compile(r"https?://\S+|\S+@\S+|\b\S+\.(?:pdf|csv|xlsx|json)\b|\b[\w-]+/[\w/.-]+")
LATIN_WORD = re.compile(r"[A-Za-z]+")
READ_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt", "aria-description")
# Not pages: downloads, leaving, the admin (its index is checked on its own), development.
SKIP = re.compile(r"^/(admin|dev|static)/|\.(pdf|csv|xlsx)$|/vyhod/|/skachat|/kvitantsiya|/export")


class _Text(HTMLParser):
    """The text a person reads or hears, and the page's own links."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.links: list[str] = []
        self._hidden: list[str] = []  # open elements whose text is not words of the page

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        # Scripts, styles, what is marked not to be translated (codes, keys, numbers), and
        # the same element nested in one of them (so that its end tag is matched).
        nested = bool(self._hidden) and tag == self._hidden[-1]
        if nested or tag in ("script", "style", "template") or attributes.get("translate") == "no":
            self._hidden.append(tag)
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        for name in READ_ATTRIBUTES:
            if attributes.get(name):
                self.text.append(attributes[name])
        if tag == "input" and attributes.get("type") in ("submit", "button"):
            self.text.append(attributes.get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if self._hidden and tag == self._hidden[-1]:
            self._hidden.pop()

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.text.append(data)


def english_words(html: str) -> tuple[set[str], list[str]]:
    parser = _Text()
    parser.feed(html)
    text = NOT_WORDS.sub(" ", " ".join(parser.text))
    words = {word for word in LATIN_WORD.findall(text) if word.lower() not in ALLOWED}
    return words, parser.links


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    settings.DEBUG = False


def crawl(client, start: str, *, at_least: int, limit: int = 300) -> dict[str, list[str]]:
    """Every page reachable from `start` by the page's own links: English words by page."""
    found: dict[str, list[str]] = {}
    seen, queue = {start}, [start]
    while queue and len(seen) <= limit:
        url = queue.pop(0)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        words, links = english_words(response.content.decode())
        if words:
            found[url] = sorted(words)
        for link in links:
            link = urldefrag(link).url
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            if SKIP.search(parts.path) or link in seen:
                continue
            seen.add(link)
            queue.append(link)
    assert len(seen) >= at_least, f"only {len(seen)} pages reached: the crawl went wrong"
    return found


def test_no_english_on_the_pages_a_consumer_reaches(client, demo):
    client.force_login(User.objects.get(email=DEMO_CONSUMER[0]))

    found = crawl(client, reverse("billing:dashboard"), at_least=40)

    assert not found, pformat(found)


def test_no_english_on_the_pages_a_visitor_reaches(client, demo):
    found = crawl(client, reverse("home"), at_least=15)

    assert not found, pformat(found)


def test_no_english_on_the_admin_index(client, demo):
    client.force_login(User.objects.get(email=DEMO_ADMIN[0]))

    words, _links = english_words(client.get(reverse("admin:index")).content.decode())

    assert not words, sorted(words)


def test_the_empty_choice_of_a_select_is_in_russian():
    """Django 6.1's «- Select an option -» is not in its Russian catalogue: locale/ru has it."""
    from django.db.models.fields import BLANK_CHOICE_LABEL

    assert str(BLANK_CHOICE_LABEL) == "— выберите —"
