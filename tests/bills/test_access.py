"""Only the account's current owner sees its months, receipts, payments and QR code."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def urls_of(link) -> list[str]:
    return [
        reverse("bills:charges", args=[link.pk]),
        reverse("bills:charge", args=[link.pk, 2026, 11]),
        reverse("bills:receipt", args=[link.pk, 2026, 11]),
        reverse("bills:payments", args=[link.pk]),
        reverse("bills:pay", args=[link.pk]),
    ]


@pytest.fixture
def alices_month(link, make_month):
    return make_month(link.account, datetime.date(2026, 11, 1))


def test_the_owner_opens_every_page_of_her_account(client, alice, link, alices_month):
    client.force_login(alice)

    for url in urls_of(link):
        assert client.get(url).status_code == 200, url


def test_another_consumer_gets_404_for_every_page_of_alices_account(
    client, bob, link, alices_month
):
    client.force_login(bob)

    for url in urls_of(link):
        assert client.get(url).status_code == 404, url
    response = client.post(reverse("bills:electronic_receipt", args=[link.pk]), {"electronic": "1"})
    assert response.status_code == 404


def test_after_unlinking_the_former_owner_gets_404(client, alice, link, alices_month):
    link.unlinked_at = timezone.now()
    link.unlinked_by = alice
    link.save()
    client.force_login(alice)

    for url in urls_of(link):
        assert client.get(url).status_code == 404, url


def test_a_month_that_does_not_exist_is_404(client, alice, link, alices_month):
    client.force_login(alice)

    assert client.get(reverse("bills:charge", args=[link.pk, 2026, 10])).status_code == 404
    assert client.get(reverse("bills:charge", args=[link.pk, 2026, 13])).status_code == 404
    assert client.get(reverse("bills:receipt", args=[link.pk, 2026, 0])).status_code == 404


def test_a_visitor_is_sent_to_sign_in(client, link, alices_month):
    for url in urls_of(link):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
