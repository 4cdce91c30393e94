"""The staff desk in the admin: filters, actions, the visit slot, the answer and its letter,
the history; personal data masked for staff without the right; constant query counts."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseAction
from servicerequests.models import ServiceRequest
from tests.servicerequests.conftest import CLAIM

pytestmark = pytest.mark.django_db
LIST_URL = reverse("admin:servicerequests_servicerequest_changelist")


def change_url(request: ServiceRequest) -> str:
    return reverse("admin:servicerequests_servicerequest_change", args=[request.pk])


def test_the_desk_filters_mine_overdue_kind_and_status(
    client, specialist, alice, alices_meter, file_service_request
):
    mine = file_service_request(alice, meter=alices_meter)
    claim = file_service_request(alice, code=CLAIM, text="Нет света.")
    ServiceRequest.objects.filter(pk=mine.pk).update(assignee=specialist, status="in_work")
    ServiceRequest.objects.filter(pk=claim.pk).update(due_on=datetime.date(2020, 1, 1))
    client.force_login(specialist)

    def numbers(**params) -> set[str]:
        page = client.get(LIST_URL, params).content.decode()
        return {number for number in (mine.number, claim.number) if number in page}

    assert numbers(assignee="mine") == {mine.number}
    assert numbers(due="overdue") == {claim.number}
    assert numbers(kind__id__exact=claim.kind_id) == {claim.number}
    assert numbers(status__exact="in_work") == {mine.number}


def test_the_desk_costs_the_same_queries_for_any_number_of_requests(
    client, specialist, alice, bob, alices_meter, bobs_meter, file_service_request, settings
):
    settings.SERVICE_REQUESTS_PER_DAY = 50
    file_service_request(alice, meter=alices_meter)
    client.force_login(specialist)
    client.get(LIST_URL)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST_URL)
    for code in ("poverka-schetchika", "vvod-v-ekspluataciyu", "kontrolnoe-snyatie"):
        file_service_request(alice, code=code, meter=alices_meter)
        request = file_service_request(bob, code=code, meter=bobs_meter)
        ServiceRequest.objects.filter(pk=request.pk).update(assignee=specialist)
    for _ in range(4):
        file_service_request(bob, code=CLAIM, text="Нет света.")

    with CaptureQueriesContext(connection) as many:
        response = client.get(LIST_URL)

    assert response.context["cl"].result_count == 11
    assert len(many) == len(few)


def test_the_desk_with_files_and_histories_costs_the_same_queries_for_any_number(
    client, specialist, alice, bob, alices_meter, bobs_meter, file_service_request, settings
):
    from servicerequests import services
    from servicerequests.files import file_check
    from tests.servicerequests.conftest import PDF_BYTES, jpeg_bytes, upload

    settings.SERVICE_REQUESTS_PER_DAY = 50

    def busy(user, **fields) -> ServiceRequest:
        """A request with two files, its author's comment and a step of staff on it."""
        request = file_service_request(
            user,
            files=[
                file_check(upload("a.jpg", jpeg_bytes())),
                file_check(upload("b.pdf", PDF_BYTES)),
            ],
            **fields,
        )
        services.service_request_add(request=request, by=user, comment="Дополняю.", files=[])
        services.service_requests_take(
            requests=ServiceRequest.objects.filter(pk=request.pk), by=specialist
        )
        return request

    busy(alice, meter=alices_meter)
    client.force_login(specialist)
    client.get(LIST_URL)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST_URL)
    for code in ("poverka-schetchika", "vvod-v-ekspluataciyu", "kontrolnoe-snyatie"):
        busy(alice, code=code, meter=alices_meter)
        busy(bob, code=code, meter=bobs_meter)
    for _ in range(4):
        busy(bob, code=CLAIM, text="Нет света.")

    with CaptureQueriesContext(connection) as many:
        response = client.get(LIST_URL)

    assert response.context["cl"].result_count == 11
    assert len(many) == len(few)


def test_take_into_work_assigns_and_records_each_step(
    client, specialist, alice, alices_meter, file_service_request
):
    request = file_service_request(alice, meter=alices_meter)
    client.force_login(specialist)

    client.post(
        LIST_URL,
        {"action": "take_into_work", "_selected_action": [request.pk]},
    )

    request.refresh_from_db()
    assert (request.status, request.assignee) == ("in_work", specialist)
    step = list(request.history())[-1]
    assert (step.action, step.actor, step.from_status, step.to_status) == (
        CaseAction.TAKE,
        specialist,
        "new",
        "in_work",
    )


def test_staff_book_a_visit_and_answer_and_the_consumer_gets_letters(
    client,
    specialist,
    alice,
    alices_meter,
    file_service_request,
    django_capture_on_commit_callbacks,
):
    request = file_service_request(alice, meter=alices_meter)
    client.force_login(specialist)
    starts = timezone.localtime() + datetime.timedelta(days=3)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            change_url(request),
            {
                "assignee": specialist.pk,
                "visit_starts_at_0": starts.strftime("%d.%m.%Y"),
                "visit_starts_at_1": "10:00",
                "visit_ends_at_0": starts.strftime("%d.%m.%Y"),
                "visit_ends_at_1": "12:00",
                "answer_text": "",
            },
        )
    request.refresh_from_db()
    assert request.visit_starts_at is not None
    assert mail.outbox[-1].to == ["alice@example.ru"]
    assert "Время визита по заявке" in mail.outbox[-1].subject
    assert "10:00–12:00" in mail.outbox[-1].body

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            change_url(request),
            {
                "assignee": specialist.pk,
                "visit_starts_at_0": starts.strftime("%d.%m.%Y"),
                "visit_starts_at_1": "10:00",
                "visit_ends_at_0": starts.strftime("%d.%m.%Y"),
                "visit_ends_at_1": "12:00",
                "staff_comment": "Пломбу поставили новую.",
                "answer_text": "Счётчик заменён, опломбирован.",
            },
        )

    request.refresh_from_db()
    assert request.status == "answered"
    assert "Ответ по заявке" in mail.outbox[-1].subject
    assert "Счётчик заменён, опломбирован." in mail.outbox[-1].body
    assert [event.action for event in request.history()] == [
        CaseAction.FILED,
        CaseAction.TAKE,
        CaseAction.VISIT,
        CaseAction.COMMENT,
        CaseAction.ANSWER,
    ]
    page = client.get(change_url(request)).content.decode()
    assert "назначено время визита" in page
    assert "Пломбу поставили новую." in page
    assert "Сергеева" in page  # staff see who took each step


def test_a_visit_ending_before_it_starts_is_refused(
    client, specialist, alice, alices_meter, file_service_request
):
    request = file_service_request(alice, meter=alices_meter)
    client.force_login(specialist)
    day = (timezone.localtime() + datetime.timedelta(days=3)).strftime("%d.%m.%Y")

    response = client.post(
        change_url(request),
        {
            "assignee": "",
            "visit_starts_at_0": day,
            "visit_starts_at_1": "12:00",
            "visit_ends_at_0": day,
            "visit_ends_at_1": "10:00",
            "answer_text": "",
        },
    )

    assert "Окончание визита должно быть позже начала." in response.content.decode()
    request.refresh_from_db()
    assert request.visit_starts_at is None


def test_a_claim_has_no_visit_slot(client, specialist, alice, alices_meter, file_service_request):
    claim = file_service_request(alice, code=CLAIM, text="Нет света.")
    client.force_login(specialist)

    page = client.get(change_url(claim)).content.decode()

    assert "visit_starts_at" not in page
    assert "Нет света." in page


def test_staff_without_the_pd_right_see_masks_and_cannot_change(
    client, clerk, alice, alices_meter, file_service_request
):
    request = file_service_request(alice, meter=alices_meter, text="Мой телефон 8 916 000-00-00")
    from cases.workflow import case_step

    case_step(case=request, action=CaseAction.COMMENT, by=alice, comment="Звоните вечером")
    client.force_login(clerk)

    page = client.get(change_url(request)).content.decode()

    assert "Иванова" not in page
    assert "alice@example.ru" not in page
    assert "8 916 000-00-00" not in page
    assert "Звоните вечером" not in page
    assert "скрыт" in page
    assert 'name="answer_text"' not in page


def test_staff_see_the_files_as_links_to_the_guarded_view(
    client, specialist, alice, alices_meter, file_service_request
):
    from servicerequests.files import file_check
    from tests.servicerequests.conftest import PDF_BYTES, jpeg_bytes, upload

    request = file_service_request(
        alice,
        meter=alices_meter,
        files=[file_check(upload("a.jpg", jpeg_bytes())), file_check(upload("b.pdf", PDF_BYTES))],
    )
    client.force_login(specialist)

    page = client.get(change_url(request)).content.decode()

    for attachment in request.attachments.all():
        assert reverse("servicerequests:attachment", args=[request.pk, attachment.pk]) in page
    assert "a.jpg" in page and "b.pdf" in page


def test_the_kinds_list_leads_to_each_kinds_open_requests(
    client, admin_user, alice, alices_meter, file_service_request
):
    request = file_service_request(alice, meter=alices_meter)
    client.force_login(admin_user)

    page = client.get(reverse("admin:servicerequests_requestkind_changelist")).content.decode()

    assert f"?kind__id__exact={request.kind_id}&amp;due=open" in page
    assert "Открытые заявки: 1" in page
