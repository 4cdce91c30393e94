"""Admin lists stay fast on tables of millions: the count stops after a bound and the planner's
estimate stands in beyond it; the whole table is never counted."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from consents.models import ConsentRecord
from consents.services import consent_give
from lkk.admin import EstimatedCountPaginator, planned_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def five_people(django_user_model) -> None:
    for number in range(5):
        django_user_model.objects.create_user(f"person{number}@example.ru")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE accounts_user")


def test_a_list_within_the_bound_is_counted_exactly(five_people, monkeypatch):
    monkeypatch.setattr(EstimatedCountPaginator, "EXACT_UP_TO", 10)

    assert EstimatedCountPaginator(User.objects.order_by("pk"), 2).count == 5


def test_a_list_beyond_the_bound_shows_the_planners_estimate(five_people, monkeypatch):
    monkeypatch.setattr(EstimatedCountPaginator, "EXACT_UP_TO", 3)
    people = User.objects.order_by("pk")

    with CaptureQueriesContext(connection) as queries:
        count = EstimatedCountPaginator(people, 2).count

    assert count == max(planned_rows(people), 4)
    assert count >= 4
    counting = next(query["sql"] for query in queries if "COUNT(*)" in query["sql"])
    assert "LIMIT 4" in counting  # the count reads at most the bound and one more row


def test_every_admin_list_counts_so_and_never_counts_the_whole_table():
    for model, model_admin in admin.site._registry.items():
        assert issubclass(model_admin.paginator, EstimatedCountPaginator), model._meta.label
        assert model_admin.show_full_result_count is False, model._meta.label


def test_the_user_list_and_its_search_count_no_more_than_the_bound(client, admin_user, five_people):
    client.force_login(admin_user)
    users = reverse("admin:accounts_user_changelist")

    with CaptureQueriesContext(connection) as queries:
        assert client.get(users).status_code == 200
        assert client.get(users, {"q": "person3"}).status_code == 200
        assert client.get(users, {"is_active__exact": "1"}).status_code == 200

    counts = [query["sql"] for query in queries if "COUNT(" in query["sql"]]
    assert counts
    assert all("LIMIT" in count for count in counts)


def test_a_whole_address_is_looked_up_as_stored_and_a_part_by_its_parts(
    client, admin_user, five_people
):
    client.force_login(admin_user)
    users = reverse("admin:accounts_user_changelist")

    whole = client.get(users, {"q": " Person3@Example.ru "})
    part = client.get(users, {"q": "son3@exa"})

    assert [user.email for user in whole.context["cl"].result_list] == ["person3@example.ru"]
    assert [user.email for user in part.context["cl"].result_list] == ["person3@example.ru"]
    searched = str(whole.context["cl"].queryset.query)
    assert '"accounts_user"."email" = person3@example.ru' in searched
    assert "LIKE" not in searched


def test_consent_records_are_found_by_their_subjects_whole_address(client, admin_user):
    def give(email: str) -> ConsentRecord:
        return consent_give(
            user=User.objects.create_user(email),
            purpose_code="account",
            source=ConsentRecord.Source.PROFILE,
            ip_address="203.0.113.5",
            user_agent="Firefox",
        )

    alice_record = give("alice@example.ru")
    give("malice@example.ru")
    client.force_login(admin_user)

    response = client.get(
        reverse("admin:consents_consentrecord_changelist"), {"q": "alice@example.ru"}
    )

    assert list(response.context["cl"].result_list) == [alice_record]
