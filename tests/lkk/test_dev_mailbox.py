"""The development mailbox: with DEBUG on, letters are read at /dev/pochta/ as the person would
see them; with DEBUG off there is no such page."""

import importlib
import logging

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.urls import NoReverseMatch, clear_url_caches, get_resolver, reverse
from playwright.sync_api import Page, expect
from pytest_django.asserts import assertContains

import lkk.urls
from accounts.models import User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

MAILBOX_BACKEND = {"default": {"BACKEND": "lkk.dev_mailbox.MailboxBackend"}}


def _load_urls(*, debug: bool) -> None:
    """The URLs as a process started with DEBUG on (or off) has them."""
    previous = django_settings.DEBUG
    django_settings.DEBUG = debug
    try:
        importlib.reload(lkk.urls)
    finally:
        django_settings.DEBUG = previous
    clear_url_caches()


@pytest.fixture(autouse=True)
def urls_as_the_process_had_them():
    """A test here may route the URLs as with DEBUG on or off; the rest of the suite gets them
    back as the process had them (its pages are collected from them)."""
    had_mailbox = "dev_mailbox" in get_resolver().namespace_dict
    yield
    _load_urls(debug=had_mailbox)


@pytest.fixture
def dev_mailbox(settings, tmp_path):
    """Development as `make run` has it: letters go to the mailbox, its pages are routed."""
    settings.MAILERS = MAILBOX_BACKEND
    settings.DEV_MAILBOX_DIR = tmp_path / "pochta"
    _load_urls(debug=True)


def send(subject: str = "Подтвердите адрес", *, html: str = "") -> None:
    letter = mail.EmailMultiAlternatives(
        subject=subject,
        body="Перейдите по ссылке: http://127.0.0.1:8000/podtverzhdenie-pochty/abc/\nСпасибо.",
        to=["maria@example.ru"],
    )
    if html:
        letter.attach_alternative(html, "text/html")
    with mail.get_connection() as connection:
        connection.send_messages([letter])


def test_without_debug_there_is_no_mailbox_page(client):
    _load_urls(debug=False)

    with pytest.raises(NoReverseMatch):
        reverse("dev_mailbox:list")
    assert client.get("/dev/pochta/").status_code == 404


def test_a_letter_is_kept_and_listed_with_a_link_to_its_page(client, dev_mailbox):
    send()

    listing = client.get(reverse("dev_mailbox:list"))

    assertContains(listing, "Подтвердите адрес")
    assertContains(listing, "maria@example.ru")
    [letter] = listing.context["letters"]
    page = client.get(reverse("dev_mailbox:letter", args=[letter.id]))
    assertContains(
        page,
        '<a href="http://127.0.0.1:8000/podtverzhdenie-pochty/abc/" rel="nofollow">',
    )


def test_the_console_gets_one_line_with_the_letters_page_and_no_body(dev_mailbox, caplog):
    with caplog.at_level(logging.INFO, logger="lkk.dev_mailbox"):
        send()

    [record] = caplog.records
    line = record.getMessage()
    assert "\n" not in line
    assert line.startswith("Письмо «Подтвердите адрес» — http://127.0.0.1:8000/dev/pochta/")
    assert "podtverzhdenie" not in line


def test_the_html_part_is_shown_in_a_sandboxed_frame(client, dev_mailbox):
    send(html='<p>Здравствуйте!</p><script>alert(1)</script><a href="/x/">ссылка</a>')
    [letter_id] = [path.stem for path in django_settings.DEV_MAILBOX_DIR.iterdir()]

    page = client.get(reverse("dev_mailbox:letter", args=[letter_id])).content.decode()

    frame = page[page.index("<iframe") : page.index("</iframe>")]
    assert 'sandbox="allow-top-navigation-by-user-activation allow-popups"' in frame
    assert "allow-scripts" not in frame
    assert "&lt;script&gt;" in frame  # escaped into srcdoc, never part of this page


@pytest.mark.parametrize("letter_id", ["../../etc/passwd", "20261201-000000-nothere"])
def test_an_unknown_letter_is_404(client, dev_mailbox, letter_id):
    assert client.get(f"/dev/pochta/{letter_id}/").status_code == 404


@pytest.mark.browser
def test_a_newcomer_registers_reads_the_letter_in_the_mailbox_and_is_signed_in(
    page: Page, live_server, dev_mailbox, policy_in_force, settings
):
    settings.SITE_URL = live_server.url  # the letter's links lead to this server
    page.goto(live_server.url + reverse("accounts:register"))
    page.get_by_label("Фамилия").fill("Кузнецова")
    page.get_by_label("Имя:", exact=True).fill("Мария")
    page.get_by_label("Электронная почта").fill("maria@example.ru")
    page.get_by_label("Мобильный телефон").fill("8 916 555-44-33")
    page.get_by_label("Пароль:", exact=True).fill(PASSWORD)
    page.get_by_label("Пароль ещё раз").fill(PASSWORD)
    page.get_by_role("checkbox", name="Я даю согласие на обработку").check()
    page.get_by_role("checkbox", name="Я ознакомлен(а) с Политикой").check()
    page.get_by_role("button", name="Зарегистрироваться").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Проверьте почту")

    page.get_by_role("link", name="почте для разработки").click()
    page.get_by_role("link", name="Подтвердите адрес").click()
    # The letter as the person sees it, its link clickable in the HTML part.
    letter = page.frame_locator("iframe.dev-letter")
    expect(letter.get_by_text("Здравствуйте")).to_be_visible()
    letter.get_by_role("link", name="Подтвердить адрес").click()

    page.get_by_role("button", name="Подтвердить адрес и войти").click()

    expect(page.get_by_role("status")).to_contain_text("Адрес подтверждён, вы вошли")
    assert User.objects.get(email="maria@example.ru").is_active
    expect(page.get_by_role("button", name="Выйти")).to_be_visible()
