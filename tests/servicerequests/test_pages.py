"""The consumer's pages: «Мои заявки», a request's page with its history and answer, adding a
comment or a file while it is open, withdrawing it, and rating the specialist once done."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from billing.models import AccountLink, PersonalAccount
from bills.models import Charge
from cases.models import CaseAction
from feedback.models import SpecialistRating
from servicerequests import services, views
from servicerequests.files import file_check
from servicerequests.models import ServiceRequest
from tests.servicerequests.conftest import (
    CLAIM,
    PDF_BYTES,
    RECALCULATION,
    REPLACEMENT,
    jpeg_bytes,
    upload,
)

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


def test_a_consumer_may_add_only_so_many_comments_and_files_a_day(
    client, alice, alices_meter, file_service_request, specialist, settings
):
    settings.SERVICE_REQUEST_ADDITIONS_PER_DAY = 2
    request = file_service_request(alice, meter=alices_meter)
    other = file_service_request(alice, code=CLAIM, text="Нет света.")
    client.force_login(alice)

    def add(to, comment: str, *files):
        return client.post(
            reverse("servicerequests:add", args=[to.pk]), {"comment": comment, "files": files}
        )

    assert add(request, "Первый.").status_code == 302
    assert add(other, "Второй.").status_code == 302  # the limit is the consumer's, not a case's
    refused = add(request, "Третий.")
    settings.SERVICE_REQUEST_ADDITIONS_PER_DAY = 4
    with_files = add(request, "", upload("a.jpg", jpeg_bytes()), upload("b.jpg", jpeg_bytes()))
    over = add(request, "Четвёртый.", upload("c.jpg", jpeg_bytes()))  # a comment and a file

    assert refused.status_code == 400
    text = refused.content.decode()
    assert "За сутки можно добавить в заявки не больше 2 комментариев или файлов" in text
    assert "(мск)" in text  # when it can be added again, in Moscow time
    assert with_files.status_code == 302  # each file counts: 2 + 2
    assert over.status_code == 400
    assert [e.comment for e in request.history() if e.comment] == ["Первый."]
    assert request.attachments.count() == 2
    # Staff answering on the desk are not counted against the consumer, nor limited.
    services.service_request_add(request=request, by=specialist, comment="Приедем в среду.")
    assert list(request.history())[-1].comment == "Приедем в среду."


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


def _busy_request(file_service_request, user, *, code: str, **fields) -> ServiceRequest:
    """A request with two files and a comment of its author on top of the filing."""
    request = file_service_request(
        user,
        code=code,
        files=[file_check(upload("a.jpg", jpeg_bytes())), file_check(upload("b.pdf", PDF_BYTES))],
        **fields,
    )
    services.service_request_add(request=request, by=user, comment="Дополняю.", files=[])
    return request


def test_my_requests_with_files_and_histories_cost_the_same_queries_for_any_number(
    client, alice, alices_meter, file_service_request, answered, settings
):
    settings.SERVICE_REQUESTS_PER_DAY = 50
    answered(_busy_request(file_service_request, alice, code=REPLACEMENT, meter=alices_meter))
    client.force_login(alice)
    client.get(MINE)
    with CaptureQueriesContext(connection) as few:
        client.get(MINE)
    for code in ("poverka-schetchika", "vvod-v-ekspluataciyu", "kontrolnoe-snyatie"):
        answered(_busy_request(file_service_request, alice, code=code, meter=alices_meter))
    for _ in range(3):
        _busy_request(file_service_request, alice, code=CLAIM, text="Нет света.")

    with CaptureQueriesContext(connection) as many:
        response = client.get(MINE)

    assert len(response.context["service_requests"]) == 7
    assert len(many) == len(few)


def test_my_requests_come_a_page_at_a_time_newest_first(
    client, alice, alices_meter, file_service_request, settings, monkeypatch
):
    settings.SERVICE_REQUESTS_PER_DAY = 50
    monkeypatch.setattr(views, "REQUESTS_PER_PAGE", 3)
    filed = [file_service_request(alice, code=CLAIM, text="Нет света.") for _ in range(7)]
    newest_first = [request.number for request in reversed(filed)]
    client.force_login(alice)

    first = client.get(MINE)
    last = client.get(MINE, {"page": 3})

    def numbers(response) -> list[str]:
        return [request.number for request in response.context["service_requests"]]

    assert numbers(first) == newest_first[:3]
    assert numbers(last) == newest_first[6:]
    first_page, last_page = first.content.decode(), last.content.decode()
    assert "Страница 1 из 3" in first_page
    assert 'href="?page=2" rel="next">Старее →' in first_page
    assert "Страница 3 из 3" in last_page
    assert 'href="?page=2" rel="prev">← Новее' in last_page
    assert numbers(client.get(MINE, {"page": "чепуха"})) == newest_first[:3]
    assert numbers(client.get(MINE, {"page": 99})) == newest_first[6:]


def test_one_page_of_requests_shows_no_page_links(
    client, alice, alices_meter, file_service_request
):
    file_service_request(alice, meter=alices_meter)
    client.force_login(alice)

    page = client.get(MINE).content.decode()

    assert "Страница" not in page


def _month(account: PersonalAccount, period: datetime.date) -> Charge:
    """A month of the account as billing sent it (the numbers do not matter here)."""
    return Charge.objects.create(
        account=account,
        period=period,
        opening_balance=Decimal(0),
        charged=Decimal("1995.00"),
        closing_balance=Decimal("1995.00"),
        amount_due=Decimal("1995.00"),
        due_date=period.replace(day=28),
        digest=f"test-{period}",
    )


def test_a_recalculations_months_link_to_the_accounts_month_pages_that_exist(
    client, alice, alices_meter, file_service_request
):
    october, november = datetime.date(2026, 10, 1), datetime.date(2026, 11, 1)
    account = alices_meter.account
    link = AccountLink.objects.get(user=alice, account=account)
    _month(account, october)
    request = file_service_request(
        alice, code=RECALCULATION, account=account, months=[october, november], text="Норматив."
    )
    client.force_login(alice)

    page = client.get(detail_url(request)).content.decode()

    october_page = reverse("bills:charge", args=[link.pk, 2026, 10])
    assert f'<a href="{october_page}">октябрь 2026</a>' in page
    assert "ноябрь 2026" in page
    assert reverse("bills:charge", args=[link.pk, 2026, 11]) not in page
    assert client.get(october_page).status_code == 200


def test_linking_the_months_costs_one_query_whatever_their_number(
    client, alice, alices_meter, file_service_request
):
    account = alices_meter.account
    client.force_login(alice)
    periods = [datetime.date(2026, month, 1) for month in range(1, 13)]
    one = file_service_request(alice, code=RECALCULATION, account=account, months=periods[:1])
    twelve = file_service_request(alice, code=RECALCULATION, account=account, months=periods)
    for period in periods:
        _month(account, period)
    client.get(detail_url(one))

    with CaptureQueriesContext(connection) as few:
        client.get(detail_url(one))
    with CaptureQueriesContext(connection) as many:
        page = client.get(detail_url(twelve)).content.decode()

    assert len(many) == len(few)
    assert page.count(reverse("bills:charges", args=[AccountLink.objects.get().pk])) == 12


def test_another_consumers_months_are_never_linked(
    client, alice, bob, alices_meter, bobs_meter, file_service_request
):
    october = datetime.date(2026, 10, 1)
    bobs_account = bobs_meter.account
    _month(bobs_account, october)
    bobs_link = AccountLink.objects.get(user=bob)
    # However the request came to name Bob's account, Alice's page never leads to his months.
    request = file_service_request(
        alice, code=RECALCULATION, account=alices_meter.account, months=[october]
    )
    ServiceRequest.objects.filter(pk=request.pk).update(account=bobs_account)
    client.force_login(alice)

    page = client.get(detail_url(request)).content.decode()

    assert "октябрь 2026" in page
    assert reverse("bills:charge", args=[bobs_link.pk, 2026, 10]) not in page
    assert "/nachisleniya/" not in page


def test_a_month_is_no_longer_linked_once_the_account_is_unlinked(
    client, alice, bob, alices_meter, file_service_request
):
    october = datetime.date(2026, 10, 1)
    account = alices_meter.account
    _month(account, october)
    request = file_service_request(alice, code=RECALCULATION, account=account, months=[october])
    # The account passes to Bob: Alice's link ends, his begins.
    AccountLink.objects.filter(user=alice).update(unlinked_at=timezone.now())
    AccountLink.objects.create(user=bob, account=account, factor=AccountLink.Factor.SURNAME)
    client.force_login(alice)

    page = client.get(detail_url(request)).content.decode()

    assert "октябрь 2026" in page
    assert "/nachisleniya/" not in page
