"""Staff compose a mailing, confirm how many people it reaches, send it and watch the progress."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mailings.models import Mailing

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:mailings_mailing_changelist")


def run_action(client, mailings: list[Mailing], **extra):
    return client.post(
        CHANGELIST,
        {"action": "send_mailing", "_selected_action": [m.pk for m in mailings], **extra},
    )


def test_staff_compose_a_mailing_as_a_draft(client, admin_user):
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:mailings_mailing_add"),
        {"subject": "Новости", "body_format": "markdown", "body": "**Важно**"},
    )

    assert response.status_code == 302
    news = Mailing.objects.get()
    assert (news.status, news.created_by) == (Mailing.Status.DRAFT, admin_user)
    page = client.get(reverse("admin:mailings_mailing_change", args=[news.pk]))
    assert "<strong>Важно</strong>" in page.content.decode()  # the preview


def test_sending_asks_first_how_many_will_get_it(client, admin_user, consumer, mailing, mailoutbox):
    consumer("alice@example.ru")
    consumer("bob@example.ru", mailings=False)
    news = mailing()
    client.force_login(admin_user)

    page = run_action(client, [news])

    assert page.status_code == 200
    assert "<td>1</td>" in page.content.decode()
    assert mailoutbox == []
    news.refresh_from_db()
    assert news.status == Mailing.Status.DRAFT


def test_confirming_sends_and_the_list_shows_the_progress(
    client, admin_user, consumer, mailing, mailoutbox, django_capture_on_commit_callbacks
):
    consumer("alice@example.ru")
    consumer("bob@example.ru")
    news = mailing()
    client.force_login(admin_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = run_action(client, [news], confirmed="yes")

    assert response.status_code == 302
    assert len(mailoutbox) == 2
    page = client.get(CHANGELIST).content.decode()
    assert "2 из 2" in page
    assert "отправлена" in page


def test_a_mailing_that_went_out_cannot_be_edited(client, admin_user, consumer, mailing, send):
    consumer("alice@example.ru")
    news = mailing()
    send(news)
    client.force_login(admin_user)

    client.post(
        reverse("admin:mailings_mailing_change", args=[news.pk]),
        {"subject": "Подменённая тема", "body_format": "plain", "body": "Другой текст"},
    )

    news.refresh_from_db()
    assert news.subject == "Новый тариф для жителей Ивантеевки"


def test_staff_without_the_send_permission_cannot_send(
    client, django_user_model, consumer, mailing, mailoutbox
):
    editor = django_user_model.objects.create_user("editor@ivsbyt.ru", "x", is_staff=True)
    editor.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_mailing", "change_mailing"])
    )
    consumer("alice@example.ru")
    news = mailing()
    client.force_login(editor)

    assert "send_mailing" not in client.get(CHANGELIST).content.decode()
    run_action(client, [news], confirmed="yes")

    assert mailoutbox == []
    news.refresh_from_db()
    assert news.status == Mailing.Status.DRAFT


def test_the_list_costs_the_same_queries_however_many_mailings(
    client, admin_user, consumer, mailing, send, django_assert_num_queries
):
    consumer("alice@example.ru")
    send(mailing())
    client.force_login(admin_user)
    client.get(CHANGELIST)
    with CaptureQueriesContext(connection) as one:
        client.get(CHANGELIST)
    for _ in range(4):
        send(mailing())

    with django_assert_num_queries(len(one.captured_queries)):
        client.get(CHANGELIST)
