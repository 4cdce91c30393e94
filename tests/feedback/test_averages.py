"""Staff see each specialist's average score: correct, and in constant queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from feedback.models import FeedbackMessage, Specialist, SpecialistRating

pytestmark = pytest.mark.django_db

AVERAGES_URL = reverse("admin:feedback_specialist_changelist")


@pytest.fixture
def rate(make_message, alice):
    """Ratings of `specialist`'s work on Alice's messages, one per score given."""

    def give(specialist: User, *scores: int) -> None:
        for score in scores:
            message = make_message(alice)
            FeedbackMessage.objects.filter(pk=message.pk).update(
                assignee=specialist, status=FeedbackMessage.Status.IN_WORK
            )
            SpecialistRating.objects.create(
                feedback_message=message, specialist=specialist, author=alice, score=score
            )

    return give


def staff(django_user_model, email: str, last_name: str) -> User:
    return django_user_model.objects.create_user(email, "x", last_name=last_name, is_staff=True)


def test_averages_count_each_specialists_own_ratings(
    rate, specialist, make_subject_request, alice, django_user_model
):
    other = staff(django_user_model, "other@ivsbyt.ru", "Орлов")
    staff(django_user_model, "unrated@ivsbyt.ru", "Без оценок")
    rate(specialist, 5, 4)
    SpecialistRating.objects.create(
        subject_request=make_subject_request(alice), specialist=specialist, author=alice, score=3
    )
    rate(other, 1)

    summary = {s.email: s for s in Specialist.objects.with_rating_summary()}

    assert set(summary) == {specialist.email, other.email}
    assert summary[specialist.email].ratings_count == 3
    assert summary[specialist.email].average_score == pytest.approx(4.0)
    assert summary[other.email].ratings_count == 1
    assert summary[other.email].average_score == pytest.approx(1.0)


def test_the_averages_page_shows_them(client, rate, specialist, admin_user):
    rate(specialist, 5, 4, 4)
    client.force_login(admin_user)

    page = client.get(AVERAGES_URL).content.decode()

    assert "Сергеева Ольга" in page
    assert "4,33" in page
    assert f"specialist__id__exact={specialist.pk}" in page


def test_the_averages_page_costs_the_same_queries_for_any_number_of_ratings(
    client, rate, specialist, admin_user, django_user_model, settings
):
    settings.FEEDBACK_USER_MESSAGES_PER_DAY = 100  # one author's many rated messages
    rate(specialist, 5)
    client.force_login(admin_user)
    with CaptureQueriesContext(connection) as few:
        assert client.get(AVERAGES_URL).status_code == 200
    for index in range(6):
        rate(staff(django_user_model, f"s{index}@ivsbyt.ru", f"Сотрудник {index}"), 3, 4, 5)

    with CaptureQueriesContext(connection) as many:
        page = client.get(AVERAGES_URL).content.decode()

    assert "Сотрудник 5" in page
    assert len(many) == len(few)


def test_a_specialists_ratings_are_listed_from_the_averages(client, rate, specialist, admin_user):
    rate(specialist, 2)
    client.force_login(admin_user)

    response = client.get(
        reverse("admin:feedback_specialistrating_changelist"),
        {"specialist__id__exact": specialist.pk},
    )

    assert response.status_code == 200
    assert "Сергеева Ольга" in response.content.decode()


def test_the_averages_page_needs_its_permission(client, django_user_model, specialist):
    clerk = staff(django_user_model, "clerk@ivsbyt.ru", "Клерк")
    client.force_login(clerk)
    assert client.get(AVERAGES_URL).status_code == 403

    client.force_login(specialist)  # has view_specialist
    assert client.get(AVERAGES_URL).status_code == 200


def test_a_specialists_account_is_not_shown_through_the_averages(
    client, rate, specialist, admin_user
):
    rate(specialist, 5)
    client.force_login(admin_user)

    response = client.get(reverse("admin:feedback_specialist_change", args=[specialist.pk]))

    assert response.status_code == 403
