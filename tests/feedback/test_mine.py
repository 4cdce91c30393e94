"""«Мои обращения» and a message's page: the owner's only, in the same queries for any number."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from feedback import views
from tests.feedback.conftest import a_guest

pytestmark = pytest.mark.django_db

MINE_URL = reverse("feedback:mine")


def test_my_messages_need_a_signed_in_consumer(client):
    response = client.get(MINE_URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_consumer_sees_their_messages_statuses_and_answers(
    client, alice, bob, make_message, answered
):
    waiting = make_message(alice, subject="Ждёт ответа")
    done = answered(make_message(alice, subject="Уже с ответом"), "Ответ: всё в порядке.")
    bobs = make_message(bob, subject="Вопрос Бориса")
    client.force_login(alice)

    page = client.get(MINE_URL).content.decode()

    assert f"№ {waiting.number}: Ждёт ответа" in page
    assert f"№ {done.number}: Уже с ответом" in page
    assert "новое" in page
    assert "ответ дан" in page
    assert "Ответ: всё в порядке." in page
    assert bobs.number not in page
    assert "Вопрос Бориса" not in page


def test_a_message_page_shows_the_text_and_the_answer(client, alice, make_message, answered):
    message = answered(make_message(alice), "Начисление верное.")
    client.force_login(alice)

    page = client.get(reverse("feedback:detail", args=[message.pk])).content.decode()

    assert message.number in page
    assert "Прошу объяснить начисление за октябрь." in page
    assert "Начисление верное." in page


def test_another_consumers_message_is_not_found(client, alice, bob, make_message):
    message = make_message(alice)
    client.force_login(bob)

    assert client.get(reverse("feedback:detail", args=[message.pk])).status_code == 404


def test_a_guests_message_has_no_page_for_anyone(client, bob, make_message):
    message = make_message(guest=a_guest())
    client.force_login(bob)

    assert client.get(reverse("feedback:detail", args=[message.pk])).status_code == 404


def test_my_messages_cost_the_same_queries_for_one_message_or_thirty(
    client, alice, make_message, answered, settings
):
    settings.FEEDBACK_USER_MESSAGES_PER_DAY = 30
    answered(make_message(alice))
    client.force_login(alice)
    client.get(MINE_URL)  # the banners' state is kept per person from the first page on
    with CaptureQueriesContext(connection) as one:
        assert client.get(MINE_URL).status_code == 200
    for _ in range(29):
        answered(make_message(alice))

    with CaptureQueriesContext(connection) as thirty:
        page = client.get(MINE_URL).content.decode()

    assert page.count('class="card feedback-item"') == views.MESSAGES_PER_PAGE
    assert "Страница 1 из 2" in page
    assert len(thirty) == len(one)


def test_my_messages_come_a_page_at_a_time_newest_first(client, alice, make_message, monkeypatch):
    monkeypatch.setattr(views, "MESSAGES_PER_PAGE", 2)
    newest_first = [make_message(alice).number for _ in range(3)][::-1]
    client.force_login(alice)

    first = client.get(MINE_URL)
    last = client.get(MINE_URL, {"page": 2})

    assert [message.number for message in first.context["feedback_messages"]] == newest_first[:2]
    assert [message.number for message in last.context["feedback_messages"]] == newest_first[2:]
    assert 'href="?page=2" rel="next">Старее →' in first.content.decode()


def test_my_messages_and_their_ratings_come_in_one_query(client, alice, make_message, answered):
    for _ in range(3):
        answered(make_message(alice))
    client.force_login(alice)

    with CaptureQueriesContext(connection) as queries:
        client.get(MINE_URL)

    # The rest of the page's queries (session, user, banners) belong to other apps; the
    # paginator counts the messages apart.
    feedback_queries = [
        q["sql"] for q in queries if "feedback_" in q["sql"] and "COUNT(*)" not in q["sql"]
    ]
    assert len(feedback_queries) == 1
    assert "feedback_specialistrating" in feedback_queries[0]


def test_the_dashboard_and_the_navigation_lead_to_my_messages(client, alice):
    client.force_login(alice)

    page = client.get(reverse("billing:dashboard")).content.decode()

    assert page.count(f'href="{MINE_URL}"') == 2  # the navigation and the dashboard's shortcut
