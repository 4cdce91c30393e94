"""The append-only evidence cannot be emptied: TRUNCATE is refused like UPDATE and DELETE,
also through CASCADE; and the site's own database role cannot drop or disable a trigger."""

import io
import uuid

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from lkk.management.commands.migrate import owner_credentials

EVIDENCE = [
    "consents_consentrecord",
    "consents_policyacknowledgement",
    "consents_subjectrequestevent",
    "cases_caseevent",
    "consents_destructionact",
    "consents_consenttext",
    "staff_personaldataaccess",
    "privacy_policyversion",
    "incidents_incidentclockchange",
    "lkk_notificationfiling",
]
# Tables whose TRUNCATE … CASCADE reaches the evidence through foreign keys.
CASCADING = ["accounts_user", "consents_consentpurpose", "consents_subjectrequest"]


def refused(statement: str) -> str:
    with pytest.raises(DatabaseError) as error, transaction.atomic(), connection.cursor() as c:
        # Rows this test's transaction wrote have deferred foreign-key checks pending, which
        # would refuse TRUNCATE before any trigger runs: check them now.
        c.execute("SET CONSTRAINTS ALL IMMEDIATE")
        c.execute(statement)
    return str(error.value)


@pytest.mark.django_db
@pytest.mark.parametrize("table", EVIDENCE)
def test_truncating_evidence_is_refused(table):
    assert "Cannot truncate" in refused(f"TRUNCATE {table} CASCADE")


@pytest.mark.django_db
@pytest.mark.parametrize("table", CASCADING)
def test_truncate_cascade_cannot_reach_the_evidence(table):
    assert "Cannot truncate" in refused(f"TRUNCATE {table} CASCADE")


@pytest.fixture
def app_role(db):
    """The site's role, set up as README's production section says, in this test's
    transaction (rolled back with it): the connection acts as that role until the end."""
    role = f"lkk_app_test_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{role}" NOLOGIN')
        call_command("grant_app_role", role, stdout=None)
        cursor.execute(f'SET ROLE "{role}"')
    yield role
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")


@pytest.mark.parametrize(
    "statement",
    [
        "DROP TRIGGER {trigger} ON consents_consentrecord",
        "ALTER TABLE consents_consentrecord DISABLE TRIGGER ALL",
        "TRUNCATE staff_personaldataaccess",
        "DROP TABLE consents_policyacknowledgement CASCADE",
        "CREATE TABLE intruder (id int)",
    ],
)
def test_the_site_role_cannot_touch_the_guards(app_role, statement):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgname LIKE 'pgtrigger_consents_record_no_delete%'"
        )
        (trigger,) = cursor.fetchone()

    message = refused(statement.format(trigger=trigger))

    assert "permission denied" in message or "must be owner" in message


def test_the_site_role_reads_and_writes_rows(app_role, alice):
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM accounts_user")
        assert cursor.fetchone() == (1,)
        cursor.execute("UPDATE accounts_user SET first_name = 'Алла' WHERE id = %s", [alice.pk])
        cursor.execute("SELECT nextval('feedback_question_number_seq')")


def test_migrate_logs_in_as_the_owner_and_then_back_as_the_site(settings):
    site = dict(connection.settings_dict)
    url = "postgres://lkk_owner:secret@db.example:6543/ignored"

    with owner_credentials("default", url):
        inside = dict(connection.settings_dict)

    assert (inside["USER"], inside["PASSWORD"], inside["HOST"], inside["PORT"]) == (
        "lkk_owner",
        "secret",
        "db.example",
        6543,
    )
    assert inside["NAME"] == site["NAME"]
    assert dict(connection.settings_dict) == site


def test_the_site_role_imports_the_registry_through_its_temporary_table(app_role):
    from billing.importer import registry_import
    from billing.models import PersonalAccount

    export = "Лицевой счёт;Адрес;ФИО\r\n1000000001;г. Шуя, ул. Ленина, д. 1;Петров П. П.\r\n"

    summary = registry_import(io.BytesIO(export.encode()))

    assert summary.created == 1
    assert PersonalAccount.objects.filter(number="1000000001").exists()
