"""Fixtures shared by the whole suite: named actors and the real browser."""

import importlib
import os
import shutil
from unittest import mock

import pytest
from django.apps import apps
from django.test import Client
from redis.backoff import NoBackoff
from redis.retry import Retry

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by the tests
# themselves are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "Надёжный-пароль-2026"
# The browser the actors use where a test records who did something and with what.
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0 Safari/537.36"


class PortalClient(Client):
    """Django's test client whose `force_login` passes the second factor too, as it passes the
    password: a member of staff gets a confirmed authenticator app (if they have none) and a
    session verified with it. `force_login(user, second_factor=False)` signs in with the
    password alone, as a member of staff is before entering a code."""

    def force_login(self, user, backend=None, *, second_factor: bool = True) -> None:
        super().force_login(user, backend)
        if second_factor and user.is_staff:
            verify_second_factor(self, user)


def verify_second_factor(client: Client, user) -> None:
    """Marks the client's session as having passed the second factor (django-otp's key)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Приложение-аутентификатор")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture
def client() -> PortalClient:
    """pytest-django's client, with `force_login` passing both sign-in factors."""
    return PortalClient()


def _chromium_path() -> str | None:
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        return configured
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, headless: the browser the CI machine installs with apt-get."""
    path = _chromium_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is not installed: CI must run the browser tests.")
        pytest.skip("Chromium is not installed (apt-get install chromium): browser tests skipped.")
    return {
        **browser_type_launch_args,
        "executable_path": path,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def browser_login(page, live_server):
    """Signs a user in in the real browser: `browser_login(alice)`.

    The login form has browser tests of its own; elsewhere a session made by Django's test
    client is handed to the browser as its cookie. Signing in again replaces the earlier session.
    """

    def log_in(user) -> None:
        client = PortalClient()
        client.force_login(user)
        page.context.clear_cookies()
        page.context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": live_server.url,
                }
            ]
        )

    return log_in


@pytest.fixture(scope="session", autouse=True)
def _page_views_stay_in_memory():
    """The visits middleware records every request of the suite. Its writer thread would write
    them on a connection of its own, outside each test's transaction: tests/visits flush by hand."""
    from visits.buffer import visit_buffer

    visit_buffer.write_in_background = False


@pytest.fixture(scope="session", autouse=True)
def _flush_passes_the_truncate_triggers():
    """A transactional test ends with Django's flush: a TRUNCATE of every table, which the
    triggers guarding evidence refuse (`lkk.db.no_truncate`). In tests only, flush passes them."""
    import pgtrigger
    from django.core.management.commands import flush

    uris = [
        f"{model._meta.label}:{trigger.name}"
        for model, trigger in pgtrigger.registered()
        if trigger.name.endswith("_no_truncate")
    ]
    handle = flush.Command.handle

    def handle_passing_the_triggers(self, **options):
        with pgtrigger.ignore(*uris):
            return handle(self, **options)

    with mock.patch.object(flush.Command, "handle", handle_passing_the_triggers):
        yield


# Rows that data migrations create and the code relies on, as (migration module, function).
REFERENCE_DATA = [
    ("consents.migrations.0002_initial_purposes_and_texts", "create_purposes_and_texts"),
    ("consents.migrations.0005_consent_text_operator_requisites", "requisites_of_first_texts"),
    ("servicerequests.migrations.0002_number_sequence_and_kinds", "create_kinds"),
]


@pytest.fixture(autouse=True)
def reference_data(request) -> None:
    """Puts back what data migrations and `migrate` created before each database test.

    A transactional test (live server, several threads) empties every table when it ends, the
    migrations' rows included; serialized rollback cannot restore them, because it rewrites rows
    that append-only triggers protect. The migrations' own functions are idempotent, and so is
    `roles_sync`, which `migrate` runs for the staff roles.
    """
    database_fixtures = {"db", "transactional_db", "live_server"}
    if not (
        request.node.get_closest_marker("django_db")
        or database_fixtures.intersection(request.fixturenames)
    ):
        return
    request.getfixturevalue("db")  # pytest-django picks the transactional flavour when asked
    for module, function in REFERENCE_DATA:
        getattr(importlib.import_module(module), function)(apps, None)
    from staff.roles import roles_sync

    roles_sync()


@pytest.fixture
def redis_down(settings) -> None:
    """The cache as production configures it (lkk/settings.py), pointed at a stopped Redis:
    nothing listens on 127.0.0.1:6390."""
    settings.CACHES = {
        "default": {
            "BACKEND": "lkk.cache.DegradingRedisCache",
            "LOCATION": "redis://127.0.0.1:6390/0",
            "OPTIONS": {
                "socket_connect_timeout": 0.5,
                "socket_timeout": 0.5,
                "retry": Retry(NoBackoff(), 1),
            },
        }
    }


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    """Every test starts with an empty cache (limits live in PostgreSQL, see lkk/limits.py)."""
    from django.core.cache import cache

    from privacy.public_pages import forget_process_copies

    cache.clear()
    forget_process_copies()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    """Tests hash passwords hundreds of times; the strength of the hash is not what they test,
    and the production hasher would make the suite minutes slower."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def policy_in_force(request):
    """A published privacy policy in force since yesterday: without one nobody registers."""
    import datetime

    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction")) or (
        "live_server" in request.fixturenames
    )
    request.getfixturevalue("transactional_db" if transactional else "db")

    from django.utils import timezone

    from privacy.models import PolicyVersion

    return PolicyVersion.objects.create(
        label="1.0",
        title="Политика конфиденциальности, редакция 1.0",
        body="# Политика\n\nТекст редакции 1.0.",
        effective_date=timezone.localdate() - datetime.timedelta(days=1),
        status=PolicyVersion.Status.PUBLISHED,
        published_at=timezone.now(),
    )


@pytest.fixture
def alice(django_user_model):
    """A consumer: the owner of the data in most tests."""
    return django_user_model.objects.create_user(
        "alice@example.ru",
        PASSWORD,
        last_name="Иванова",
        first_name="Алиса",
        patronymic="Петровна",
        phone="+79161234567",
    )


@pytest.fixture
def bob(django_user_model):
    """Another consumer, who must never see Alice's data."""
    return django_user_model.objects.create_user(
        "bob@example.ru", PASSWORD, last_name="Смирнов", first_name="Борис", phone="+79167654321"
    )


@pytest.fixture
def file_request():
    """File a PD subject request the way the consumer's form does; override anything per test."""
    from pdrequests.models import SubjectRequest
    from pdrequests.services import subject_request_file

    def file(subject, kind: str = SubjectRequest.Kind.ACCESS, **overrides) -> SubjectRequest:
        if kind == SubjectRequest.Kind.BLOCKING:
            overrides.setdefault("reason", SubjectRequest.Reason.INACCURATE)
            overrides.setdefault("details", "Фамилия указана с ошибкой.")
        overrides.setdefault("filed_by_user", subject)
        return subject_request_file(subject=subject, kind=kind, **overrides)

    return file


@pytest.fixture
def publish_policy():
    """Publish a policy version in force since `days_ago` days (Moscow date)."""
    import datetime

    from django.utils import timezone

    from privacy.models import PolicyVersion

    def publish(
        label: str, *, requires_renewed_consent: bool = False, days_ago: int = 0
    ) -> PolicyVersion:
        return PolicyVersion.objects.create(
            label=label,
            title=f"Политика конфиденциальности, редакция {label}",
            body=f"# Политика\n\nТекст редакции {label}.",
            effective_date=timezone.localdate() - datetime.timedelta(days=days_ago),
            requires_renewed_consent=requires_renewed_consent,
            status=PolicyVersion.Status.PUBLISHED,
            published_at=timezone.now(),
        )

    return publish


def _as_the_profile_page(user, purpose_code: str, overrides: dict) -> dict:
    """What the profile page passes to the consent services: a fixed address and browser."""
    from consents.models import ConsentRecord

    return {
        "user": user,
        "purpose_code": purpose_code,
        "source": ConsentRecord.Source.PROFILE,
        "ip_address": "203.0.113.7",
        "user_agent": BROWSER,
    } | overrides


@pytest.fixture
def give():
    """Record a consent the way the profile page does, from a fixed address and browser."""
    from consents import services

    def give_consent(user, purpose_code: str = "account", **overrides):
        return services.consent_give(**_as_the_profile_page(user, purpose_code, overrides))

    return give_consent


@pytest.fixture
def withdraw():
    """Withdraw a consent the way the profile page does, from a fixed address and browser."""
    from consents import services

    def withdraw_consent(user, purpose_code: str = "account", **overrides):
        return services.consent_withdraw(**_as_the_profile_page(user, purpose_code, overrides))

    return withdraw_consent


@pytest.fixture
def admin_user(django_user_model):
    """A site administrator: a superuser."""
    return django_user_model.objects.create_superuser(
        "admin@ivsbyt.ru", PASSWORD, last_name="Администратор", first_name="Сайта"
    )


@pytest.fixture
def enrol():
    """Gives a person a confirmed authenticator app and recovery codes, as the enrolment page
    does: `device, codes = enrol(alice)`."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts import second_factor

    def give(user):
        device = TOTPDevice.objects.create(user=user, name="Приложение-аутентификатор")
        return device, second_factor.recovery_codes_renew(user=user)

    return give


def app_code(device, *, steps_ahead: int = 0) -> str:
    """The six digits the person's authenticator app shows now (or a step later: a code once
    accepted is not accepted again, and the app accepts the next step's code too)."""
    from django_otp.oath import totp

    device.refresh_from_db()
    value = totp(
        device.bin_key,
        step=device.step,
        t0=device.t0,
        digits=device.digits,
        drift=device.drift + steps_ahead,
    )
    return f"{value:0{device.digits}d}"
