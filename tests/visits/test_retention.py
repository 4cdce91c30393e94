"""Page views are kept for VISIT_RETENTION_DAYS and then deleted, in batches, by the daily
`apply_retention`."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from visits.models import Visit
from visits.services import visits_prune

pytestmark = pytest.mark.django_db


def test_prune_deletes_exactly_the_views_older_than_the_retention_period(settings, make_visits):
    settings.VISIT_RETENTION_DAYS = 30
    now = timezone.now()
    expired = make_visits(3, path="/old/", at=now - timedelta(days=30, minutes=1))
    kept = [
        *make_visits(path="/recent/", at=now - timedelta(days=30) + timedelta(minutes=1)),
        *make_visits(2, path="/today/", at=now),
    ]
    output = StringIO()

    call_command("apply_retention", stdout=output)

    assert set(Visit.objects.values_list("pk", flat=True)) == {visit.pk for visit in kept}
    assert not Visit.objects.filter(pk__in=[visit.pk for visit in expired]).exists()
    assert "записи о просмотрах страниц (удалены): 3 (срок хранения: 30 дн.)" in output.getvalue()


def test_prune_deletes_in_batches(make_visits):
    now = timezone.now()
    make_visits(5, at=now - timedelta(days=400))

    with CaptureQueriesContext(connection) as queries:
        deleted = visits_prune(older_than=now - timedelta(days=180), batch_size=2)

    assert deleted == 5
    assert Visit.objects.count() == 0
    assert sum(1 for query in queries if query["sql"].startswith("DELETE")) == 3  # 2 + 2 + 1


def test_prune_with_nothing_expired_deletes_nothing(make_visits):
    make_visits(2, at=timezone.now())

    assert visits_prune(older_than=timezone.now() - timedelta(days=180)) == 0
    assert Visit.objects.count() == 2


def test_deleting_an_account_keeps_its_page_views_without_the_account(alice, bob, make_visits):
    [alices_view] = make_visits(user=alice)
    [bobs_view] = make_visits(user=bob)
    assert list(Visit.objects.for_user(alice)) == [alices_view]

    alice.delete()

    alices_view.refresh_from_db()
    assert alices_view.user is None
    assert Visit.objects.for_user(bob).get() == bobs_view
