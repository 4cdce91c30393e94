"""/metrics: Prometheus text for the monitoring system, 404 for everyone else."""

import pytest
from django.urls import reverse

from accounts.tasks import verification_letter_send
from tests.accounts.conftest import database_tasks  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

TOKEN = "scrape-token-for-tests-0123456789"


@pytest.fixture
def scrape(client, settings):
    settings.METRICS_TOKEN = TOKEN

    def get() -> str:
        response = client.get(reverse("metrics"), HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/plain")
        return response.content.decode()

    return get


def sample(text: str, line_start: str) -> float:
    """The value of the one sample whose line starts with `line_start` (0 if there is none)."""
    values = [
        float(line.rsplit(" ", 1)[1]) for line in text.splitlines() if line.startswith(line_start)
    ]
    assert len(values) <= 1, values
    return values[0] if values else 0.0


def test_the_public_gets_404_with_or_without_a_wrong_token(client, settings):
    settings.METRICS_TOKEN = TOKEN

    assert client.get(reverse("metrics")).status_code == 404
    assert client.get(reverse("metrics"), HTTP_AUTHORIZATION="Bearer wrong").status_code == 404


def test_with_nothing_configured_nobody_gets_metrics(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_IPS = []

    assert client.get(reverse("metrics"), HTTP_AUTHORIZATION="Bearer ").status_code == 404


def test_an_allowed_network_scrapes_without_a_token(client, settings):
    settings.METRICS_ALLOWED_IPS = ["10.0.0.0/8"]

    assert client.get(reverse("metrics"), REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get(reverse("metrics"), REMOTE_ADDR="203.0.113.7").status_code == 404
    # A header anybody can send does not count.
    outside = client.get(reverse("metrics"), REMOTE_ADDR="203.0.113.7", HTTP_X_REAL_IP="10.1.2.3")
    assert outside.status_code == 404


def test_requests_are_counted_by_view_and_status_and_timed(client, scrape):
    line = 'lkk_http_requests_total{method="GET",status="200",view="healthz"}'
    before = sample(scrape(), line)

    client.get(reverse("healthz"))
    client.get(reverse("healthz"))
    client.get("/net-takoi-stranitsy/")

    text = scrape()
    assert sample(text, line) == before + 2
    assert sample(text, 'lkk_http_requests_total{method="GET",status="404",view="unresolved"}') >= 1
    assert sample(text, 'lkk_http_request_duration_seconds_count{view="healthz"}') >= 2


def test_letters_sent_are_counted(scrape, alice, mailoutbox):
    line = 'lkk_letters_total{outcome="sent"}'
    before = sample(scrape(), line)
    alice.awaiting_email_confirmation = True
    alice.save()

    verification_letter_send.enqueue(user_id=alice.pk)

    assert len(mailoutbox) == 1
    assert sample(scrape(), line) == before + 1


@pytest.mark.usefixtures("database_tasks")
def test_the_task_queue_depth_is_read_from_the_database(scrape, alice):
    verification_letter_send.enqueue(user_id=alice.pk)
    verification_letter_send.enqueue(user_id=alice.pk)

    assert sample(scrape(), 'lkk_tasks_waiting{queue="default"}') == 2
