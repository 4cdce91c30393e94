"""Log lines: time, level, logger and request id on each; JSON when asked; no personal data."""

import io
import json
import logging

import pytest
from django.conf import settings

from lkk.log import (
    JsonFormatter,
    PersonalDataAdminEmailHandler,
    PersonalDataFilter,
    RequestIdFilter,
    TextFormatter,
    personal_data_mask,
    sentry_before_send,
)


@pytest.fixture
def log_lines():
    """What the console handler of the settings writes, for one test: its filters and format."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.addFilter(PersonalDataFilter())
    handler.setFormatter(TextFormatter())
    root = logging.getLogger()
    root.addHandler(handler)

    def lines() -> list[str]:
        return stream.getvalue().splitlines()

    yield handler, lines
    root.removeHandler(handler)


def test_the_settings_put_the_request_id_and_the_mask_on_every_handler():
    for name, handler in settings.LOGGING["handlers"].items():
        assert {"request_id", "no_personal_data"} <= set(handler["filters"]), name
    assert settings.MIDDLEWARE[0] == "lkk.log.RequestIdMiddleware"


@pytest.mark.django_db
def test_a_line_has_time_level_logger_and_the_request_id_the_balancer_gave(client, log_lines):
    _, lines = log_lines

    response = client.get("/net-takoi-stranitsy/", HTTP_X_REQUEST_ID="lb-7f3a")

    assert response.status_code == 404
    assert response["X-Request-ID"] == "lb-7f3a"
    [line] = [line for line in lines() if "django.request" in line]
    time, level, logger, request_id, *message = line.split(" ")
    assert time.endswith("Z") and time[:4].isdigit()
    assert (level, logger, request_id) == ("WARNING", "django.request", "[lb-7f3a]")
    assert "Not Found" in " ".join(message)


@pytest.mark.django_db
def test_without_an_id_from_outside_each_request_gets_its_own(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    injected = client.get("/healthz", HTTP_X_REQUEST_ID="a b\nforged line")["X-Request-ID"]

    assert len(first) == 32 and first != second
    assert "\n" not in injected and injected != "a b\nforged line"


@pytest.mark.django_db
def test_an_address_or_phone_in_a_path_never_reaches_the_log(client, log_lines):
    _, lines = log_lines

    client.get("/alice.smith@example.ru/+7 (916) 123-45-67/")

    written = "\n".join(lines())
    assert "Not Found" in written
    assert "alice.smith@example.ru" not in written
    assert "123-45-67" not in written
    assert "[email]" in written and "[phone]" in written


def test_personal_data_is_masked_in_arguments_and_tracebacks(log_lines):
    _, lines = log_lines
    logger = logging.getLogger("tests.pd")

    logger.warning("Letter to %s refused", "bob@example.ru")
    try:
        raise ValueError("no such user 89161234567")
    except ValueError:
        logger.exception("Sending failed for %s", {"phone": "+79161234567"})

    written = "\n".join(lines())
    assert "bob@example.ru" not in written
    assert "9161234567" not in written
    assert "Letter to [email] refused" in written
    assert "ValueError: no such user [phone]" in written


def test_json_lines_when_asked(log_lines):
    handler, lines = log_lines
    handler.setFormatter(JsonFormatter())

    logging.getLogger("tests.json").error("Import failed: %d rows", 3)

    [record] = [json.loads(line) for line in lines()]
    assert record["level"] == "ERROR"
    assert record["logger"] == "tests.json"
    assert record["request_id"] == "-"
    assert record["message"] == "Import failed: 3 rows"
    assert record["time"].endswith("Z")


@pytest.mark.parametrize(
    "text",
    [
        "alice@example.ru",
        "Иван.Петров+lkk@mail.example.com",
        "+7 916 123-45-67",
        "8 (916) 123 45 67",
        "+79161234567",
        "+375291234567",
    ],
)
def test_what_counts_as_personal_data(text):
    assert personal_data_mask(f"a {text} b") in ("a [email] b", "a [phone] b")


@pytest.mark.parametrize(
    "text",
    ["request 12 of 3000", "ОС-2026-000045", "203.0.113.7", "лицевой счёт 1000000001"],
)
def test_what_is_left_as_it_is(text):
    assert personal_data_mask(text) == text


def test_an_event_for_sentry_carries_no_user_cookies_form_or_addresses():
    event = {
        "user": {"email": "alice@example.ru", "ip_address": "203.0.113.7"},
        "request": {
            "url": "https://lkk.example.ru/kabinet/",
            "cookies": {"sessionid": "secret"},
            "data": {"email": "alice@example.ru"},
            "headers": {"Cookie": "sessionid=secret", "User-Agent": "Firefox"},
        },
        "exception": {"values": [{"value": "Refused: bob@example.ru, +7 916 123-45-67"}]},
        "breadcrumbs": {"values": [{"message": "sent to carol@example.ru"}]},
    }

    sent = sentry_before_send(event, {})

    assert "user" not in sent
    assert "cookies" not in sent["request"] and "data" not in sent["request"]
    assert sent["request"]["headers"] == {"User-Agent": "Firefox"}
    assert sent["exception"]["values"][0]["value"] == "Refused: [email], [phone]"
    assert "@" not in json.dumps(sent)


@pytest.mark.django_db
def test_a_letter_to_the_admins_about_an_error_has_no_addresses_or_form_values(
    rf, settings, mailoutbox
):
    settings.ADMINS = ["ops@example.ru"]
    request = rf.post("/vhod/", {"username": "dave@example.ru", "phone": "+79161234567"})
    record = logging.LogRecord(
        "django.request", logging.ERROR, __file__, 1, "Error for %s", ("erin@example.ru",), None
    )
    record.request = request
    PersonalDataFilter().filter(record)

    PersonalDataAdminEmailHandler().emit(record)

    [letter] = mailoutbox
    assert letter.to == ["ops@example.ru"]
    assert "Error for [email]" in letter.subject
    assert "username" in letter.body  # which fields were sent, not their values
    assert "@" not in letter.subject + letter.body
    assert "9161234567" not in letter.body
    assert not letter.alternatives


def test_settings_send_error_letters_through_the_masking_handler():
    assert settings.LOGGING["handlers"]["mail_admins"]["class"] == (
        "lkk.log.PersonalDataAdminEmailHandler"
    )
    assert settings.DEFAULT_EXCEPTION_REPORTER_FILTER == (
        "lkk.log.PersonalDataExceptionReporterFilter"
    )


def test_sentry_is_off_by_default_and_sends_no_personal_data_when_on(tmp_path):
    """Settings are read in a fresh interpreter: SENTRY_DSN decides at start-up."""
    import os
    import subprocess
    import sys

    probe = (
        "import django; django.setup(); import sentry_sdk; "
        "options = sentry_sdk.get_client().options; "
        "print(sentry_sdk.get_client().is_active(), options['send_default_pii'], "
        "options['before_send'].__name__ if options['before_send'] else None)"
    )

    def started_with(**env: str) -> str:
        result = subprocess.run(
            [sys.executable, "-c", probe],
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "lkk.settings", **env},
            capture_output=True,
            text=True,
            check=True,
            cwd=settings.BASE_DIR,
        )
        return result.stdout.strip().splitlines()[-1]

    assert started_with().startswith("False")
    assert started_with(SENTRY_DSN="https://public@glitchtip.example.ru/1") == (
        "True False sentry_before_send"
    )


@pytest.mark.django_db
def test_a_background_task_writes_its_lines_with_its_own_id(log_lines, settings, alice):
    from accounts.tasks import password_reset_letter_send
    from lkk.log import request_id

    _, lines = log_lines
    settings.MAILERS = {"default": {"BACKEND": "tests.accounts.conftest.RefusingMailBackend"}}

    result = password_reset_letter_send.enqueue(user_id=alice.pk)

    failed = [line for line in lines() if "lkk.letters" in line]
    assert failed and all(f"[task:{result.id}]" in line for line in failed)
    assert request_id.get() == "-"  # put back once the task finished
