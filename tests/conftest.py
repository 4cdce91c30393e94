"""Fixtures shared by the whole suite: named actors and the real browser."""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by the tests
# themselves are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "Надёжный-пароль-2026"


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
def admin_user(django_user_model):
    """A site administrator: a superuser."""
    return django_user_model.objects.create_superuser(
        "admin@ivsbyt.ru", PASSWORD, last_name="Администратор", first_name="Сайта"
    )
