"""The consumer's pages: «Мои заявки», a request's page with its history and answer, adding a
comment or a file while it is open, withdrawing it, and rating the specialist once done."""

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import CaseAction
from feedback.models import SpecialistRating
from servicerequests import services
from servicerequests.models import ServiceRequest
from tests.servicerequests.conftest import CLAIM, jpeg_bytes, upload

pytestmark = pytest.mark.django_db
MINE = reverse("servicerequests:mine")


def detail_url(request: ServiceRequest) -> str:
    return reverse("servicerequests:detail", args=[request.pk])


def test_my_requests_list_shows_only_mine(
    client, alice, bob, alices_meter, bobs_meter, file_service_request
):
    mine = file_service_request(alice, meter=alices_meter)
    bobs = file_service_request(bob, meter=bobs_meter)
    client.force_login(alice)

    page = client.get(MINE).content.decode()

    assert mine.number in page
    assert bobs.number not in page
    assert "счётчик № 011234567" in page


def test_my_requests_cost_the_same_queries_for_any_number_of_requests(
    client, alice, alices_meter, file_service_request, answered, settings
):
    settings.SERVICE_REQUESTS_PER_DAY = 50
    first = file_service_request(alice, meter=alices_meter)
    answered(first)
    client.force_login(alice)
    client.get(MINE)
    with CaptureQueriesContext(connection) as few:
        client.get(MINE)
    for code in ("poverka-schetchika", "vvod-v-ekspluataciyu", "kontrolnoe-snyatie"):
        answered(file_service_request(alice, code=code, meter=alices_meter))
    for _ in range(3):
        file_service_request(alice, code=CLAIM, text="Нет света.")

    with CaptureQueriesContext(connection) as many:
        response = client.get(MINE)

    assert len(response.context["service_requests"]) == 7
    assert len(many) == len(few)


def test_the_page_shows_the_history_the_answer_and_no_staff_names(
    client, alice, alices_meter, file_service_request, specialist, answered
):
    request = file_service_request(alice, meter=alices_meter)
    services.service_requests_take(
        requests=ServiceRequest.objects.filter(pk=request.pk), by=specialist
    )
    answered(request, "Счётчик заменён 5 декабря.")
    client.force_login(alice)

    page = client.get(detail_url(request)).content.decode()

    assert "Ход рассмотрения" in page
    assert "Вы: подано" in page
    assert "Специалист: взято в работу" in page
    assert "Специалист: дан ответ" in page
    assert "Счётчик заменён 5 декабря." in page
    assert "Сергеева" not in page
    assert "Дополнить заявку" not in page  # done: nothing more is added


def test_the_author_adds_a_comment_and_a_file_while_it_is_open(
    client, alice, alices_meter, file_service_request
):
    request = file_service_request(alice, meter=alices_meter)
    client.force_login(alice)

    response = client.post(
        reverse("servicerequests:add", args=[request.pk]),
        {"comment": "Лучше после 18:00.", "files": [upload("seal.jpg", jpeg_bytes())]},
    )

    assert response.status_code == 302
    actions = [event.action for event in request.history()]
    assert actions == [CaseAction.FILED, CaseAction.COMMENT, CaseAction.FILE]
    assert request.attachments.count() == 1
    assert "Лучше после 18:00." in client.get(detail_url(request)).content.decode()


def test_an_empty_addition_is_refused_with_a_message(
    client, alice, alices_meter, file_service_request
):
    request = file_service_request(alice, meter=alices_meter)
    client.force_login(alice)

    response = client.post(reverse("servicerequests:add", args=[request.pk]), {"comment": " "})

    assert response.status_code == 400
    assert "Напишите комментарий или выберите файл." in response.content.decode()


def test_nothing_is_added_to_a_closed_request(
    client, alice, alices_meter, file_service_request, answered
):
    request = answered(file_service_request(alice, meter=alices_meter))
    client.force_login(alice)

    response = client.post(reverse("servicerequests:add", args=[request.pk]), {"comment": "Ещё"})

    assert response.status_code == 400
    assert "Рассмотрение уже завершено" in response.content.decode()
    assert [e.action for e in request.history()][-1] == CaseAction.ANSWER


def test_the_author_withdraws_an_open_request(client, alice, alices_meter, file_service_request):
    request = file_service_request(alice, meter=alices_meter)
    client.force_login(alice)

    client.post(reverse("servicerequests:withdraw", args=[request.pk]))
    again = client.post(reverse("servicerequests:withdraw", args=[request.pk]), follow=True)

    request.refresh_from_db()
    assert request.status == ServiceRequest.Status.WITHDRAWN
    assert request.closed_at is not None
    assert "Рассмотрение уже завершено (отозвана)" in again.content.decode()
    assert [e.action for e in request.history()] == [CaseAction.FILED, CaseAction.WITHDRAW]


def test_the_author_rates_the_specialist_once_after_the_answer(
    client, alice, alices_meter, file_service_request, answered, specialist
):
    request = file_service_request(alice, meter=alices_meter)
    client.force_login(alice)
    rate_url = reverse("servicerequests:rate", args=[request.pk])

    too_early = client.post(rate_url, {"score": 5})
    answered(request)
    client.post(rate_url, {"score": 4, "comment": "Быстро."})
    twice = client.post(rate_url, {"score": 1})

    assert "Оценить работу специалиста можно, когда работа по обращению завершена" in (
        too_early.content.decode()
    )
    rating = SpecialistRating.objects.get()
    assert (rating.service_request, rating.specialist, rating.score) == (request, specialist, 4)
    assert "Вы уже оценили эту работу" in twice.content.decode()
    assert (
        "Ваша оценка: <strong>4 из 5</strong>" in client.get(detail_url(request)).content.decode()
    )


def test_a_withdrawn_request_cannot_be_rated(client, alice, alices_meter, file_service_request):
    request = file_service_request(alice, meter=alices_meter)
    client.force_login(alice)
    client.post(reverse("servicerequests:withdraw", args=[request.pk]))

    client.post(reverse("servicerequests:rate", args=[request.pk]), {"score": 5})

    assert not SpecialistRating.objects.exists()


def test_the_meter_page_tag_lists_the_owners_requests_about_that_meter(
    alice, bob, alices_meter, file_service_request
):
    request = file_service_request(alice, meter=alices_meter)
    http_request = RequestFactory().get("/")
    template = Template("{% load servicerequests_tags %}{% meter_requests meter %}")

    http_request.user = alice
    for_alice = template.render(Context({"request": http_request, "meter": alices_meter}))
    http_request.user = bob
    for_bob = template.render(Context({"request": http_request, "meter": alices_meter}))

    assert request.number in for_alice
    assert request.number not in for_bob


def test_the_new_request_page_lists_the_kinds_with_their_terms(client, alice):
    client.force_login(alice)

    page = client.get(reverse("servicerequests:choose_kind")).content.decode()

    assert "Замена прибора учёта" in page
    assert "Претензия о качестве или надёжности электроснабжения" in page
    assert "Срок — 3 раб. дн." in page


def test_a_request_about_a_meter_shows_on_that_meters_page(
    client, alice, alices_meter, file_service_request
):
    request = file_service_request(alice, meter=alices_meter)
    client.force_login(alice)

    page = client.get(reverse("meters:history", args=[alices_meter.pk])).content.decode()

    assert "Заявки по этому счётчику" in page
    assert f"№ {request.number}: Замена прибора учёта" in page
