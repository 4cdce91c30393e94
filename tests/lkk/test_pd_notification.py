"""The notification to Roskomnadzor (152-FZ art. 22): its statements come from the registry, and
what changed since a filing is found by comparing with the filing's snapshot."""

import datetime

import pytest

from lkk import personal_data
from lkk.pd_notification import changes_since, notification_details, notification_filing_record


def test_every_declared_category_is_stated_with_purpose_basis_and_retention():
    details = notification_details()

    stated = {category["key"]: category for category in details["categories"]}
    for category in personal_data.categories():
        assert stated[category.key]["purpose"] == category.purpose
        assert stated[category.key]["legal_basis"] == str(category.legal_basis)
        assert stated[category.key]["retention"] == str(category.retention)
    assert details["database_location"]
    assert details["systems"] == [str(personal_data.System.PORTAL)]
    assert details["processors"] == list(personal_data.PROCESSORS)


def test_nothing_changed_right_after_a_filing():
    assert changes_since(notification_details()) == []


def test_a_changed_retention_period_is_flagged(settings):
    filed = notification_details()
    settings.VISIT_RETENTION_DAYS = 90

    changes = changes_since(filed)

    assert [(c.field, c.after) for c in changes] == [
        ("срок или условие прекращения обработки", "90 дн.")
    ]
    assert changes[0].before == "180 дн."


def test_a_new_category_and_a_dropped_one_are_flagged():
    filed = notification_details()
    dropped = filed["categories"].pop(0)
    filed["categories"].append({**dropped, "key": "gone.category", "title": "Старая категория"})

    changes = {(c.section, c.field) for c in changes_since(filed)}

    assert changes == {
        (dropped["title"], "категория добавлена"),
        ("Старая категория", "категория больше не обрабатывается"),
    }


def test_a_changed_database_location_and_operator_are_flagged(settings):
    filed = notification_details()
    settings.PD_DATABASE_LOCATION = "г. Москва, ул. Серверная, д. 1"
    settings.OPERATOR = {**settings.OPERATOR, "address": "г. Пушкино"}

    changes = {c.field: c.after for c in changes_since(filed)}

    assert changes == {
        "место нахождения базы данных": "г. Москва, ул. Серверная, д. 1",
        "адрес оператора": "г. Пушкино",
    }


@pytest.mark.django_db
def test_a_filing_keeps_the_statements_as_filed(admin_user):
    filing = notification_filing_record(
        filed_on=datetime.date(2026, 11, 2), reference="12-3456", recorded_by=admin_user
    )

    filing.refresh_from_db()
    assert filing.snapshot == notification_details()
