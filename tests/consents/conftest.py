"""Fixtures for consent tests: published policy versions, consent records, PD requests."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from consents import services
from consents.models import ConsentRecord
from privacy.models import PolicyVersion
from tests.conftest import BROWSER

MOSCOW = ZoneInfo("Europe/Moscow")


def assert_refused(statement) -> None:
    """Run `statement` in its own savepoint and check an append-only trigger refuses it."""
    with pytest.raises(DatabaseError, match="pgtrigger: Cannot"), transaction.atomic():
        statement()


def raw_sql(query: str, *params):
    """A statement that runs `query` past the ORM, as a careless script or psql session would."""

    def run():
        with connection.cursor() as cursor:
            cursor.execute(query, params)

    return run


@pytest.fixture
def publish_policy():
    """Publish a policy version in force since `days_ago` days (Moscow date)."""

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

    def give_consent(user, purpose_code: str = "account", **overrides) -> ConsentRecord:
        return services.consent_give(**_as_the_profile_page(user, purpose_code, overrides))

    return give_consent


@pytest.fixture
def withdraw():
    """Withdraw a consent the way the profile page does, from a fixed address and browser."""

    def withdraw_consent(user, purpose_code: str = "account", **overrides) -> ConsentRecord:
        return services.consent_withdraw(**_as_the_profile_page(user, purpose_code, overrides))

    return withdraw_consent


@pytest.fixture
def pd_officer(django_user_model):
    """A member of staff allowed to work PD requests, and nothing else."""
    from django.contrib.auth.models import Permission

    officer = django_user_model.objects.create_user(
        "officer@ivsbyt.ru", "пароль-сотрудника-2026", last_name="Сотрудникова", is_staff=True
    )
    officer.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="consents",
            codename__in=["view_subjectrequest", "change_subjectrequest"],
        )
    )
    return django_user_model.objects.get(pk=officer.pk)  # permissions are cached per instance


@pytest.fixture
def act(pd_officer):
    """Take an action on a request as the PD officer (or as `actor`), with a comment."""
    from consents.workflow import subject_request_transition

    def take(request, action, *, actor=None, comment: str = "Проверено.", **data):
        return subject_request_transition(
            request=request, action=action, actor=actor or pd_officer, comment=comment, **data
        )

    return take


@pytest.fixture
def frozen_now(monkeypatch):
    """Make `timezone.now()` return a fixed Moscow moment (the services read it to stamp)."""

    def freeze(*args: int) -> datetime.datetime:
        moment = datetime.datetime(*args, tzinfo=MOSCOW)
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    return freeze
