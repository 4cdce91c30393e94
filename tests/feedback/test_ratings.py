"""Rating the specialist's work: once, only for completed work, only by its owner."""

import pytest
from django.urls import reverse

from feedback.models import FeedbackMessage, SpecialistRating
from feedback.services import RatedWork, RatingRefused, specialist_rating_create
from pdrequests.models import SubjectRequest

pytestmark = pytest.mark.django_db


def rate_message_url(message: FeedbackMessage) -> str:
    return reverse("feedback:rate_message", args=[message.pk])


def rate_request_url(subject_request: SubjectRequest) -> str:
    return reverse("feedback:rate_subject_request", args=[subject_request.pk])


def test_the_owner_rates_the_specialist_of_an_answered_message(
    client, alice, specialist, make_message, answered
):
    message = answered(make_message(alice))
    detail = reverse("feedback:detail", args=[message.pk])
    client.force_login(alice)
    assert "Оценка работы специалиста" in client.get(detail).content.decode()

    response = client.post(
        rate_message_url(message), {"score": "4", "comment": "Быстро и понятно.", "next": detail}
    )

    assert response.status_code == 302
    assert response["Location"] == detail
    rating = SpecialistRating.objects.get()
    assert (rating.feedback_message, rating.specialist, rating.author) == (
        message,
        specialist,
        alice,
    )
    assert (rating.score, rating.comment) == (4, "Быстро и понятно.")
    page = client.get(detail).content.decode()
    assert "Ваша оценка: <strong>4 из 5</strong>" in page
    assert 'name="score"' not in page


def test_a_second_rating_is_refused_with_a_clear_message(client, alice, make_message, answered):
    message = answered(make_message(alice))
    client.force_login(alice)
    client.post(rate_message_url(message), {"score": "5"})

    response = client.post(rate_message_url(message), {"score": "1"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Вы уже оценили эту работу. Оценку можно поставить только один раз." in page
    assert list(SpecialistRating.objects.values_list("score", flat=True)) == [5]


def test_a_rating_that_raced_past_the_check_is_refused_by_the_database(
    alice, make_message, answered
):
    message = answered(make_message(alice))
    first = RatedWork.of(FeedbackMessage.objects.get(pk=message.pk))
    second = RatedWork.of(FeedbackMessage.objects.get(pk=message.pk))
    assert second.refusal(author=alice) is None  # both checked before either was saved
    specialist_rating_create(author=alice, work=first, score=5)

    with pytest.raises(RatingRefused, match="только один раз"):
        specialist_rating_create(author=alice, work=second, score=1)
    assert SpecialistRating.objects.count() == 1


@pytest.mark.parametrize("status", [FeedbackMessage.Status.NEW, FeedbackMessage.Status.IN_WORK])
def test_work_still_open_cannot_be_rated(client, alice, specialist, make_message, status):
    message = make_message(alice)
    FeedbackMessage.objects.filter(pk=message.pk).update(status=status, assignee=specialist)
    client.force_login(alice)

    response = client.post(rate_message_url(message), {"score": "5"})

    assert response.status_code == 200
    assert "можно, когда работа по обращению завершена" in response.content.decode()
    assert not SpecialistRating.objects.exists()


def test_a_closed_message_can_be_rated(client, alice, specialist, make_message):
    from feedback.services import feedback_messages_close

    message = make_message(alice)
    feedback_messages_close(messages=FeedbackMessage.objects.filter(pk=message.pk), by=specialist)
    client.force_login(alice)

    client.post(rate_message_url(message), {"score": "3"})

    assert SpecialistRating.objects.get().specialist == specialist


def test_another_consumer_cannot_rate_nor_see_the_form(client, alice, bob, make_message, answered):
    message = answered(make_message(alice))
    client.force_login(bob)

    assert client.get(rate_message_url(message)).status_code == 404
    assert client.post(rate_message_url(message), {"score": "1"}).status_code == 404
    assert not SpecialistRating.objects.exists()


def test_rating_needs_a_signed_in_consumer(client, alice, make_message, answered):
    message = answered(make_message(alice))

    response = client.post(rate_message_url(message), {"score": "1"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert not SpecialistRating.objects.exists()


def test_a_score_outside_one_to_five_is_refused_in_russian(client, alice, make_message, answered):
    message = answered(make_message(alice))
    client.force_login(alice)

    response = client.post(rate_message_url(message), {"score": "7"})

    assert "Выберите корректный вариант." in response.content.decode()
    assert not SpecialistRating.objects.exists()


def test_the_owner_rates_the_specialist_of_a_completed_subject_request(
    client, alice, specialist, make_subject_request
):
    subject_request = make_subject_request(alice)
    client.force_login(alice)

    response = client.post(rate_request_url(subject_request), {"score": "5", "comment": "Спасибо"})

    assert response.status_code == 302
    rating = SpecialistRating.objects.get()
    assert rating.subject_request == subject_request
    assert rating.feedback_message is None
    assert rating.specialist == specialist


@pytest.mark.parametrize(
    "status",
    [SubjectRequest.Status.RECEIVED, SubjectRequest.Status.IN_WORK, SubjectRequest.Status.REJECTED],
)
def test_a_subject_request_not_completed_cannot_be_rated(
    client, alice, make_subject_request, status
):
    subject_request = make_subject_request(alice, status=status)
    client.force_login(alice)

    response = client.post(rate_request_url(subject_request), {"score": "5"})

    assert "можно, когда работа по обращению завершена" in response.content.decode()
    assert not SpecialistRating.objects.exists()


def test_a_subject_request_is_rated_once(client, alice, make_subject_request):
    subject_request = make_subject_request(alice)
    client.force_login(alice)
    client.post(rate_request_url(subject_request), {"score": "2"})

    response = client.post(rate_request_url(subject_request), {"score": "5"})

    assert "Оценку можно поставить только один раз." in response.content.decode()
    assert SpecialistRating.objects.get().score == 2


def test_another_consumer_cannot_rate_a_subject_request(client, alice, bob, make_subject_request):
    subject_request = make_subject_request(alice)
    client.force_login(bob)

    assert client.post(rate_request_url(subject_request), {"score": "1"}).status_code == 404
    assert not SpecialistRating.objects.exists()


def test_the_rating_block_is_one_template_tag_for_a_subject_request(
    rf, alice, bob, make_subject_request
):
    from django.template import Context, Template

    subject_request = make_subject_request(alice)
    template = Template("{% load feedback_tags %}{% specialist_rating subject_request %}")
    request = rf.get("/kabinet/")

    request.user = alice
    owners = template.render(Context({"request": request, "subject_request": subject_request}))
    request.user = bob
    others = template.render(Context({"request": request, "subject_request": subject_request}))

    assert f'action="{rate_request_url(subject_request)}"' in owners
    assert 'name="score"' in owners
    assert others.strip() == ""


def test_the_subject_request_page_offers_the_rating_once_completed(
    client, alice, make_subject_request
):
    completed = make_subject_request(alice)
    in_work = make_subject_request(alice, status=SubjectRequest.Status.IN_WORK)
    client.force_login(alice)

    completed_page = client.get(reverse("pdrequests:request_detail", args=[completed.pk]))
    in_work_page = client.get(reverse("pdrequests:request_detail", args=[in_work.pk]))

    assert f'action="{rate_request_url(completed)}"' in completed_page.content.decode()
    assert 'name="score"' not in in_work_page.content.decode()
    assert "можно, когда работа по обращению завершена" in in_work_page.content.decode()


def test_rating_from_the_subject_request_page_leads_back_to_it(client, alice, make_subject_request):
    subject_request = make_subject_request(alice)
    page = reverse("pdrequests:request_detail", args=[subject_request.pk])
    client.force_login(alice)

    response = client.post(rate_request_url(subject_request), {"score": "5", "next": page})

    assert response["Location"] == page
    assert "Ваша оценка: <strong>5 из 5</strong>" in client.get(page).content.decode()
