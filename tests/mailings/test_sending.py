"""Sending: batches through django.tasks, progress, one letter per person however often it runs."""

import pytest

from lkk import bulk_mail
from mailings import services
from mailings.models import Mailing
from tests.mailings.conftest import recipients_of, unsubscribe_path

pytestmark = pytest.mark.django_db


def test_sending_goes_in_batches_one_task_each(
    monkeypatch, consumer, mailing, admin_user, django_capture_on_commit_callbacks, mailoutbox
):
    monkeypatch.setattr(bulk_mail, "BATCH_SIZE", 2)
    for number in range(5):
        consumer(f"consumer{number}@example.ru")
    news = mailing()

    with django_capture_on_commit_callbacks(execute=True) as queued:
        due = services.mailing_send(mailing=news, started_by=admin_user)

    assert due == 5
    assert len(queued) == 3
    assert len(mailoutbox) == 5
    news = Mailing.objects.with_progress().get(pk=news.pk)
    assert (news.status, news.sent_count, news.recipients_total) == (Mailing.Status.SENT, 5, 5)
    assert news.sent_at is not None
    assert news.send_started_by == admin_user


def test_the_mailing_is_sending_until_its_last_batch_is_done(
    monkeypatch, consumer, mailing, admin_user, django_capture_on_commit_callbacks, mailoutbox
):
    monkeypatch.setattr(bulk_mail, "BATCH_SIZE", 2)
    for number in range(3):
        consumer(f"consumer{number}@example.ru")
    news = mailing()
    with django_capture_on_commit_callbacks(execute=False) as queued:
        services.mailing_send(mailing=news, started_by=admin_user)

    queued[0]()
    news = Mailing.objects.with_progress().get(pk=news.pk)
    assert (news.status, news.sent_count, news.recipients_total) == (Mailing.Status.SENDING, 2, 3)

    queued[1]()
    news = Mailing.objects.with_progress().get(pk=news.pk)
    assert (news.status, news.sent_count) == (Mailing.Status.SENT, 3)


def test_sending_again_sends_nobody_twice(consumer, mailing, send, mailoutbox):
    consumer("alice@example.ru")
    consumer("bob@example.ru")
    news = mailing()
    send(news)

    due = send(news)

    assert due == 0
    assert recipients_of(mailoutbox) == ["alice@example.ru", "bob@example.ru"]
    assert news.deliveries.count() == 2


def test_sending_again_reaches_only_someone_who_agreed_since(
    consumer, give, mailing, send, mailoutbox
):
    consumer("alice@example.ru")
    late = consumer("bob@example.ru", mailings=False)
    news = mailing()
    send(news)
    give(late)

    due = send(news)

    assert due == 1
    assert recipients_of(mailoutbox) == ["alice@example.ru", "bob@example.ru"]
    news.refresh_from_db()
    assert news.recipients_total == 2


def test_a_batch_run_twice_sends_each_letter_once(
    consumer, mailing, admin_user, django_capture_on_commit_callbacks, mailoutbox
):
    consumer("alice@example.ru")
    consumer("bob@example.ru")
    with django_capture_on_commit_callbacks(execute=False) as queued:
        services.mailing_send(mailing=mailing(), started_by=admin_user)
    [batch] = queued

    batch()
    batch()  # a worker crashed after sending and the task was run again

    assert recipients_of(mailoutbox) == ["alice@example.ru", "bob@example.ru"]


def test_a_consent_withdrawn_after_sending_started_is_respected(
    consumer, withdraw, mailing, admin_user, django_capture_on_commit_callbacks, mailoutbox
):
    consumer("alice@example.ru")
    bob = consumer("bob@example.ru")
    with django_capture_on_commit_callbacks(execute=False) as queued:
        services.mailing_send(mailing=mailing(), started_by=admin_user)

    withdraw(bob)  # before the batch's task runs
    for batch in queued:
        batch()

    assert recipients_of(mailoutbox) == ["alice@example.ru"]


def test_nobody_to_send_to_means_sent_at_once(consumer, mailing, send, mailoutbox):
    consumer("alice@example.ru", mailings=False)
    news = mailing()

    assert send(news) == 0

    news.refresh_from_db()
    assert news.status == Mailing.Status.SENT
    assert mailoutbox == []


def test_every_letter_can_be_unsubscribed_in_one_click(consumer, mailing, send, mailoutbox):
    alice = consumer("alice@example.ru", first_name="Алиса")
    send(mailing())

    [letter] = mailoutbox
    assert letter.subject.startswith("Новый тариф для жителей Ивантеевки")
    assert letter.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = unsubscribe_path(letter)
    assert link.startswith("/rassylki/otpiska/")
    assert link in letter.body
    html, _mime = letter.alternatives[0]
    assert link in html
    assert "Здравствуйте, Алиса!" in letter.body
    assert "С 1 июля действует ночной тариф." in letter.body
    assert str(alice.pk) in link


def test_the_https_address_goes_in_the_header(consumer, mailing, send, mailoutbox, settings):
    settings.SITE_URL = "https://lkk.ivsbyt.ru"
    consumer("alice@example.ru")

    send(mailing())

    [letter] = mailoutbox
    assert letter.extra_headers["List-Unsubscribe"].startswith(
        "<https://lkk.ivsbyt.ru/rassylki/otpiska/"
    )


def test_a_markdown_letter_is_sanitized(consumer, mailing, send, mailoutbox):
    consumer("alice@example.ru")
    send(
        mailing(
            body_format=Mailing.Format.MARKDOWN,
            body="## Ночной тариф\n\n**Выгодно** ночью.<script>alert(1)</script>"
            '<a href="javascript:alert(2)">ссылка</a>',
        )
    )

    [letter] = mailoutbox
    html, _mime = letter.alternatives[0]
    assert "<strong>Выгодно</strong>" in html
    assert "<h2" in html
    assert "<script" not in html
    assert "javascript:" not in html
    assert ">ссылка</a>" in html


def test_a_refused_letter_goes_out_when_sent_again(consumer, mailing, send, settings, mailoutbox):
    consumer("alice@example.ru")
    consumer("bob@example.ru")
    news = mailing()
    working = settings.MAILERS
    settings.MAILERS = {"default": {"BACKEND": "tests.incidents.conftest.RefusingBobBackend"}}
    send(news)
    news = Mailing.objects.with_progress().get(pk=news.pk)
    assert (news.status, news.sent_count, news.recipients_total) == (Mailing.Status.SENT, 1, 2)

    settings.MAILERS = working
    assert send(news) == 1

    assert recipients_of(mailoutbox) == ["alice@example.ru", "bob@example.ru"]
