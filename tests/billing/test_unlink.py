"""Unlinking: the owner confirms and it is done; nobody else can see or touch the link."""

import pytest
from django.urls import reverse

from billing.models import AccountLink

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(alice, account):
    return AccountLink.objects.create(user=alice, account=account, factor="surname")


def test_owner_sees_the_account_page(client, alice, link):
    client.force_login(alice)

    response = client.get(reverse("billing:account", args=[link.pk]))

    page = response.content.decode()
    assert "Лицевой счёт № 1000000001" in page
    assert "ул. Толмачёва, д. 5" in page
    assert "Подтверждён по</dt><dd>фамилии владельца</dd>" in page  # the dative after «по»


def test_the_confirmation_page_changes_nothing(client, alice, link):
    client.force_login(alice)

    response = client.get(reverse("billing:unlink", args=[link.pk]))

    assert "Отвязать лицевой счёт № 1000000001?" in response.content.decode()
    link.refresh_from_db()
    assert link.is_active


def test_owner_unlinks_after_confirming_and_the_link_stays_in_history(client, alice, link):
    client.force_login(alice)

    response = client.post(reverse("billing:unlink", args=[link.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("billing:dashboard")
    link.refresh_from_db()
    assert link.unlinked_at is not None
    assert (link.unlinked_by, link.unlink_reason) == (alice, "")
    dashboard = client.get(response["Location"]).content.decode()
    assert "Лицевой счёт № 1000000001 отвязан" in dashboard
    assert "Привяжите свой лицевой счёт" in dashboard


@pytest.mark.parametrize("view", ["billing:account", "billing:unlink"])
def test_another_consumers_link_is_not_found(client, bob, link, view):
    client.force_login(bob)

    assert client.get(reverse(view, args=[link.pk])).status_code == 404
    assert client.post(reverse(view, args=[link.pk])).status_code == 404
    link.refresh_from_db()
    assert link.is_active


def test_an_ended_link_is_not_found(client, alice, link):
    client.force_login(alice)
    client.post(reverse("billing:unlink", args=[link.pk]))

    assert client.get(reverse("billing:account", args=[link.pk])).status_code == 404
    assert client.post(reverse("billing:unlink", args=[link.pk])).status_code == 404
