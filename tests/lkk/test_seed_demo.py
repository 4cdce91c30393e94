from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from consents.models import ConsentRecord
from lkk.management.commands.seed_demo import DEMO_ADMIN, DEMO_CONSUMER
from privacy.models import PolicyVersion


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_demo_data_loads_twice_without_duplicating_and_prints_the_logins(settings):
    settings.DEBUG = True

    first = seed()
    counts = (User.objects.count(), ConsentRecord.objects.count(), PolicyVersion.objects.count())
    second = seed()

    assert (User.objects.count(), ConsentRecord.objects.count(), PolicyVersion.objects.count()) == (
        counts
    )
    assert first == second
    assert f"{DEMO_ADMIN[0]} / {DEMO_ADMIN[1]}" in first
    assert f"{DEMO_CONSUMER[0]} / {DEMO_CONSUMER[1]}" in first
    assert User.objects.get(email=DEMO_ADMIN[0]).check_password(DEMO_ADMIN[1])
    assert PolicyVersion.objects.in_force().count() >= 2


@pytest.mark.django_db
def test_demo_data_is_refused_outside_development(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError):
        seed()

    assert not User.objects.filter(email=DEMO_ADMIN[0]).exists()


@pytest.mark.django_db
def test_runserver_ends_its_banner_with_the_demo_logins(settings):
    from lkk.management.commands.runserver import Command as Runserver

    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    out = StringIO()
    server = Runserver(stdout=out, no_color=True)
    server.addr, server.port, server.protocol, server._raw_ipv6 = "127.0.0.1", "8000", "http", False

    server.on_bind("8000")

    banner = out.getvalue()
    assert banner.index("development server at") < banner.index("Демо-входы:")
    assert banner.rstrip().splitlines()[-2].startswith("Начисления и платежи")
    assert f"{DEMO_CONSUMER[0]} / {DEMO_CONSUMER[1]}" in banner
    assert "base64" not in banner.lower()


@pytest.mark.django_db
def test_seed_demo_is_silent_at_verbosity_zero(settings):
    settings.DEBUG = True
    out = StringIO()

    call_command("seed_demo", verbosity=0, stdout=out)

    assert out.getvalue() == ""


@pytest.mark.django_db
def test_the_demo_consumer_has_everything_the_cabinet_shows(settings):
    from billing.models import AccountLink
    from bills.models import Charge, Payment
    from feedback.models import FeedbackMessage
    from meters.models import Reading
    from pdrequests.models import SubjectRequest
    from servicerequests.models import ServiceRequest

    settings.DEBUG = True
    seed()
    consumer = User.objects.get(email=DEMO_CONSUMER[0])

    accounts = [link.account for link in AccountLink.objects.active().filter(user=consumer)]
    assert accounts
    assert Charge.objects.filter(account__in=accounts).exists()
    assert Payment.objects.filter(account__in=accounts).exists()
    assert Reading.objects.filter(meter__account__in=accounts).exists()
    assert ServiceRequest.objects.filter(user=consumer).exists()
    assert FeedbackMessage.objects.filter(user=consumer).exists()
    assert ConsentRecord.objects.filter(user=consumer).count() >= 3
    assert SubjectRequest.objects.filter(subject=consumer).exists()
