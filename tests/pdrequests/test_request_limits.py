"""A consumer's PD requests: a double click, a resent form or five copies sent at once file one
request (one letter, one legal deadline), and a day allows PD_REQUESTS_PER_DAY of them."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains

from pdrequests.models import SubjectRequest, SubjectRequestEvent

NEW = reverse("pdrequests:request_new")
ACCESS = {"kind": "access", "details": "Какие мои данные вы обрабатываете?"}


# A transactional test empties the tables afterwards; reference_data (tests/conftest.py) puts back
# what migrations created.
@pytest.mark.django_db(transaction=True)
def test_five_identical_requests_sent_at_once_file_one(alice, mailoutbox):
    start = threading.Barrier(5)
    statuses: list[int] = []

    def send() -> None:
        try:
            browser = Client()
            browser.force_login(alice)
            start.wait()
            statuses.append(browser.post(NEW, ACCESS).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert statuses == [302] * 5  # every copy is answered as filed…
    request = SubjectRequest.objects.get()  # …and there is one request,
    assert SubjectRequestEvent.objects.filter(request=request).count() == 1
    assert len(mailoutbox) == 1  # one letter


@pytest.mark.django_db
def test_a_resent_form_leads_to_the_request_already_filed(client, alice):
    client.force_login(alice)

    first = client.post(NEW, ACCESS)
    second = client.post(NEW, ACCESS)

    request = SubjectRequest.objects.get()
    assert (
        first["Location"]
        == second["Location"]
        == reverse("pdrequests:request_detail", args=[request.pk])
    )


@pytest.mark.django_db
def test_a_different_request_is_a_new_one(client, alice):
    client.force_login(alice)

    client.post(NEW, ACCESS)
    client.post(NEW, {**ACCESS, "details": "И кому вы их передаёте?"})

    assert SubjectRequest.objects.count() == 2


@pytest.mark.django_db
def test_a_day_allows_a_limited_number_of_requests_with_a_clear_answer(
    client, alice, bob, settings
):
    settings.PD_REQUESTS_PER_DAY = 2
    client.force_login(alice)
    for question in ("Первый вопрос?", "Второй вопрос?"):
        client.post(NEW, {**ACCESS, "details": question})

    response = client.post(NEW, {**ACCESS, "details": "Третий вопрос?"})

    assert response.status_code == 200
    assertContains(response, "Слишком много отправок подряд")
    assertContains(response, "по московскому времени")
    assertContains(response, "Третий вопрос?")  # what was typed is kept
    assert SubjectRequest.objects.filter(subject=alice).count() == 2
    client.force_login(bob)  # another consumer has their own allowance
    assert client.post(NEW, {**ACCESS, "details": "Третий вопрос?"}).status_code == 302


@pytest.mark.django_db
def test_staff_registering_requests_for_a_subject_are_not_limited(
    alice, pd_officer, file_request, settings
):
    settings.PD_REQUESTS_PER_DAY = 1
    for number in range(3):
        file_request(alice, filed_by_user=pd_officer, details=f"Письмо {number}")

    assert SubjectRequest.objects.count() == 3
