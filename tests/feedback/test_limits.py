"""Signed-in consumers' messages and claims: one per submission, a limited number a day."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains

from feedback.models import FeedbackMessage

CLAIM_URL = reverse("feedback:claim")


def claim(text: str = "Счёт за октябрь выставлен дважды.") -> dict:
    return {"kind": "claim", "subject": "Двойной счёт", "text": text}


@pytest.mark.django_db
def test_a_signed_in_consumer_may_file_a_limited_number_of_claims_a_day(client, alice, settings):
    settings.FEEDBACK_USER_MESSAGES_PER_DAY = 3
    client.force_login(alice)
    for number in range(3):
        assert client.post(CLAIM_URL, claim(f"Претензия {number}.")).status_code == 302

    response = client.post(CLAIM_URL, claim("Ещё одна претензия."))

    assert response.status_code == 200
    assertContains(response, "Вы недавно отправили много обращений")
    assertContains(response, "Ещё одна претензия.")
    assert FeedbackMessage.objects.filter(user=alice).count() == 3


@pytest.mark.django_db
def test_a_double_click_sends_one_message(client, alice):
    client.force_login(alice)

    client.post(CLAIM_URL, claim())
    client.post(CLAIM_URL, claim())

    assert FeedbackMessage.objects.filter(user=alice).count() == 1


@pytest.mark.django_db(transaction=True)
def test_copies_sent_at_once_register_one_message(alice):
    start = threading.Barrier(4)

    def send() -> None:
        try:
            browser = Client()
            browser.force_login(alice)
            start.wait()
            browser.post(CLAIM_URL, claim())
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert FeedbackMessage.objects.filter(user=alice).count() == 1
