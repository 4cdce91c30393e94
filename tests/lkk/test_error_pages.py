"""Error pages in Russian, in the site's layout, each with the way back; the 500 page without a
database query."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from playwright.sync_api import Page, expect
from pytest_django.asserts import assertContains

from lkk import views

pytestmark = pytest.mark.django_db

PAGES = {
    "/oshibka/400/": (400, "Неверный запрос"),
    "/oshibka/403/": (403, "Доступ закрыт"),
    "/net-takoy-stranitsy/": (404, "Страница не найдена"),
    "/oshibka/500/": (500, "Что-то пошло не так"),
}


@pytest.fixture
def error_urls(settings):
    settings.ROOT_URLCONF = "tests.lkk.error_urls"


@pytest.mark.parametrize(("path", "expected"), PAGES.items())
def test_each_error_page_is_in_russian_in_the_layout_with_the_way_back(error_urls, path, expected):
    status, heading = expected
    response = Client(raise_request_exception=False).get(path)

    assertContains(response, f"<h1>{heading}</h1>", status_code=status)
    assertContains(response, 'href="/"', status_code=status)
    assertContains(response, f'href="{reverse("contacts")}"', status_code=status)
    assertContains(response, "Личный кабинет потребителя", status_code=status)  # the layout


def test_the_500_page_reads_nothing_from_the_database(django_assert_num_queries, alice):
    request = RequestFactory().get("/")
    request.user = alice  # a lazy user would query the session: the page must not ask

    with django_assert_num_queries(0):
        response = views.server_error(request)

    assert response.status_code == 500
    assert "Что-то пошло не так" in response.content.decode()


def test_a_form_sent_without_its_csrf_token_gets_the_russian_page():
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("accounts:login"), {"username": "a@example.ru"})

    assertContains(response, "Страница устарела", status_code=403)
    assertContains(response, "обновите её и отправьте форму ещё раз", status_code=403)


def test_the_admin_refuses_a_member_of_staff_without_the_right_in_russian(
    client, django_user_model
):
    clerk = django_user_model.objects.create_user("clerk@ivsbyt.ru", "x", is_staff=True)
    client.force_login(clerk)

    response = client.get(reverse("admin:accounts_user_changelist"))

    assertContains(response, "Доступ закрыт", status_code=403)


def test_the_contacts_page_names_the_hotline_offices_email_and_the_pd_officer(client, settings):
    settings.OPERATOR = {**settings.OPERATOR, "phone": "+7 496 555-00-11", "dpo": "Петрова А. С."}
    settings.OPERATOR_OFFICES = [{"address": "ул. Центральная, д. 2", "hours": "пн–пт 9–18"}]

    response = client.get(reverse("contacts"))

    for text in ("+7 496 555-00-11", "ул. Центральная, д. 2", "пн–пт 9–18", "Петрова А. С."):
        assertContains(response, text)
    assertContains(response, settings.OPERATOR["email"])


def test_every_page_links_the_contacts_from_its_footer(client):
    response = client.get(reverse("home"))

    footer = response.content.decode().split('class="site-footer"')[1]
    assert f'href="{reverse("contacts")}"' in footer


@pytest.mark.browser
def test_every_error_page_in_the_browser(page: Page, live_server, error_urls):
    for path, (status, heading) in PAGES.items():
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == status
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(page.get_by_role("link", name="На главную")).to_be_visible()

    # A form whose page was opened before the CSRF cookie was lost.
    page.goto(live_server.url + reverse("accounts:login"))
    page.context.clear_cookies()
    page.get_by_label("Электронная почта").fill("alice@example.ru")
    page.get_by_label("Пароль").fill("пароль")
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Страница устарела")
    page.get_by_role("link", name="На главную").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Личный кабинет потребителя электроэнергии"
    )
