import pytest
from django.db import connections


@pytest.mark.django_db
def test_healthz_answers_200_with_json_while_the_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_does_not(client, django_db_blocker):
    with django_db_blocker.unblock():
        connection = connections["default"]
        connection.close()
        original_port = connection.settings_dict["PORT"]
        connection.settings_dict["PORT"] = "1"  # nothing listens there
        try:
            response = client.get("/healthz")
        finally:
            connection.close()
            connection.settings_dict["PORT"] = original_port

    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


@pytest.mark.django_db
def test_healthz_answers_a_plain_http_check_without_redirecting(client, settings):
    """The load balancer checks each instance over plain HTTP, behind the TLS it terminates."""
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/healthz")

    assert response.status_code == 200
    assert client.get("/").status_code == 301  # everything else still goes to HTTPS
