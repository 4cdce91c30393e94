"""«Мои обращения по ПДн»: filing, the list, a request's page, withdrawing — for the owner only."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pdrequests import views
from pdrequests.models import Action, SubjectRequest

pytestmark = pytest.mark.django_db

LIST = reverse("pdrequests:requests")
NEW = reverse("pdrequests:request_new")


def _detail(request: SubjectRequest) -> str:
    return reverse("pdrequests:request_detail", args=[request.pk])


def _withdraw(request: SubjectRequest) -> str:
    return reverse("pdrequests:request_withdraw", args=[request.pk])


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


class TestFiling:
    def test_the_form_explains_the_kinds_and_where_to_bring_documents(self, alice_client):
        content = alice_client.get(NEW).content.decode()

        assert "Блокирование" in content
        assert "раздел «Ваши права и сроки ответа» Политики" in content
        assert settings.OPERATOR["address"] in content
        assert reverse("consents:mine") in content  # withdrawing consent is done there

    def test_the_kind_is_chosen_first_and_the_form_shows_only_that_kinds_fields(self, alice_client):
        choice = alice_client.get(NEW).content.decode()
        access = alice_client.get(NEW, {"kind": "access"}).content.decode()
        blocking = alice_client.get(NEW, {"kind": "blocking"}).content.decode()
        correction = alice_client.get(NEW, {"kind": "correction"}).content.decode()

        assert 'href="?kind=correction"' in choice and 'name="details"' not in choice
        assert 'name="details"' in access
        assert 'name="reason"' not in access and 'name="correct_last_name"' not in access
        assert 'name="reason"' in blocking and 'name="correct_last_name"' not in blocking
        assert 'name="correct_last_name"' in correction and 'name="reason"' not in correction
        assert '<input type="hidden" name="kind" value="correction">' in correction

    def test_an_unknown_kind_is_chosen_again(self, alice_client):
        page = alice_client.get(NEW, {"kind": "withdrawal"}).content.decode()

        assert 'href="?kind=blocking"' in page and 'name="details"' not in page

    def test_a_blocking_request_is_filed_and_blocks_at_once(
        self, alice_client, alice, mailoutbox, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = alice_client.post(
                NEW,
                {"kind": "blocking", "reason": "unlawful", "details": "Мне звонят с рекламой."},
                follow=True,
            )

        request = SubjectRequest.objects.get()
        assert response.redirect_chain == [(_detail(request), 302)]
        assert (request.subject, request.filed_by_user, request.filed_by) == (
            alice,
            alice,
            SubjectRequest.FiledBy.SUBJECT,
        )
        assert (request.kind, request.reason, request.details) == (
            "blocking",
            "unlawful",
            "Мне звонят с рекламой.",
        )
        assert request.blocking_in_force
        content = response.content.decode()
        assert f"Обращение № {request.number} подано" in content
        [letter] = mailoutbox
        assert letter.to == ["alice@example.ru"]
        assert request.number in letter.subject
        assert "заблокированы" in letter.body
        assert f"{request.due_on:%d.%m.%Y}" in letter.body

    def test_a_blocking_request_needs_its_reason_said_next_to_the_field(self, alice_client):
        response = alice_client.post(NEW, {"kind": "blocking", "details": "Неверно."})

        content = response.content.decode()
        assert "Укажите, почему данные нужно заблокировать." in content
        assert 'aria-invalid="true"' in content
        assert not SubjectRequest.objects.exists()

    def test_nothing_is_filed_without_a_kind(self, alice_client):
        response = alice_client.post(NEW, {"details": "Просто так."})

        assert "Выберите, о чём обращение." in response.content.decode()
        assert not SubjectRequest.objects.exists()

    def test_a_correction_says_which_data_is_wrong_and_what_it_should_be(self, alice_client):
        alice_client.post(
            NEW,
            {
                "kind": "correction",
                "correct_last_name": "Петрова",
                "correct_phone": "8 903 555-00-11",
            },
        )

        request = SubjectRequest.objects.get()
        assert request.corrections == [
            {"field": "last_name", "current": "Иванова", "requested": "Петрова"},
            {"field": "phone", "current": "+79161234567", "requested": "+79035550011"},
        ]
        assert request.reason == ""

    def test_a_correction_without_values_is_refused(self, alice_client):
        response = alice_client.post(NEW, {"kind": "correction"})

        assert "Укажите хотя бы одно значение" in response.content.decode()
        assert not SubjectRequest.objects.exists()

    def test_a_correction_to_the_present_value_is_refused(self, alice_client):
        response = alice_client.post(NEW, {"kind": "correction", "correct_last_name": "Иванова"})

        assert "Так и указано сейчас." in response.content.decode()
        assert not SubjectRequest.objects.exists()

    def test_a_correction_refused_next_to_its_field_gets_no_second_message(self, alice_client):
        response = alice_client.post(
            NEW, {"kind": "correction", "correct_phone": "8 495 123-45-67"}
        )

        content = response.content.decode()
        assert "Это не мобильный номер." in content
        assert "Укажите хотя бы одно значение" not in content
        assert not SubjectRequest.objects.exists()

    def test_a_representative_states_their_basis(self, alice_client):
        response = alice_client.post(
            NEW,
            {"kind": "access", "is_representative": "on", "representative_name": "Иванов П. С."},
        )
        assert "Обязательное поле для законного представителя." in response.content.decode()
        assert not SubjectRequest.objects.exists()

        alice_client.post(
            NEW,
            {
                "kind": "access",
                "is_representative": "on",
                "representative_name": "Иванов Пётр Сергеевич",
                "representative_basis_type": "свидетельство о рождении",
                "representative_basis_number": "IV-МЮ 123456",
            },
        )

        request = SubjectRequest.objects.get()
        assert request.filed_by == SubjectRequest.FiledBy.REPRESENTATIVE
        assert (request.representative_name, request.representative_basis_number) == (
            "Иванов Пётр Сергеевич",
            "IV-МЮ 123456",
        )

    def test_withdrawal_of_consent_is_not_filed_here(self, alice_client):
        alice_client.post(NEW, {"kind": "withdrawal", "details": "Удалите всё."})

        assert not SubjectRequest.objects.exists()


class TestList:
    def test_the_list_shows_numbers_statuses_and_moscow_due_dates(
        self, alice_client, alice, file_request, act
    ):
        received = file_request(alice)
        in_work = act(file_request(alice), Action.TAKE_INTO_WORK)

        content = alice_client.get(LIST).content.decode()

        for request in (received, in_work):
            assert request.number in content
            assert f"до {request.due_on:%d.%m.%Y}" in content
        assert "получено" in content
        assert "в работе" in content

    def test_the_list_holds_only_the_consumers_own_requests(self, alice_client, bob, file_request):
        bobs = file_request(bob)

        assert bobs.number not in alice_client.get(LIST).content.decode()

    def test_queries_do_not_grow_with_the_number_of_requests(
        self, client, alice, bob, file_request, django_assert_num_queries
    ):
        file_request(alice)
        for _ in range(30):
            file_request(bob)
        client.force_login(alice)
        with CaptureQueriesContext(connection) as one_request:
            client.get(LIST)
        client.force_login(bob)

        with django_assert_num_queries(len(one_request)):
            assert len(client.get(LIST).context["subject_requests"]) == views.REQUESTS_PER_PAGE

    def test_the_requests_come_a_page_at_a_time_newest_first(
        self, alice_client, alice, file_request, monkeypatch
    ):
        monkeypatch.setattr(views, "REQUESTS_PER_PAGE", 2)
        newest_first = [file_request(alice).number for _ in range(3)][::-1]

        first = alice_client.get(LIST)
        last = alice_client.get(LIST, {"page": 2})

        assert [item.number for item in first.context["subject_requests"]] == newest_first[:2]
        assert [item.number for item in last.context["subject_requests"]] == newest_first[2:]
        assert "Страница 2 из 2" in last.content.decode()


class TestDetail:
    def test_the_owner_sees_the_history_and_the_answer(
        self, alice_client, alice, file_request, act
    ):
        request = act(file_request(alice), Action.TAKE_INTO_WORK, comment="Внутренняя заметка.")
        act(request, Action.COMPLETE, answer="Ваши данные обрабатываются для договора.")

        content = alice_client.get(_detail(request)).content.decode()

        assert "Ваши данные обрабатываются для договора." in content
        for step in ("обращение подано", "взято в работу", "обращение исполнено"):
            assert step in content
        assert "Внутренняя заметка." not in content  # staff's notes stay internal

    def test_a_correction_request_says_where_to_bring_documents(
        self, alice_client, alice, file_request
    ):
        request = file_request(alice, "correction", corrections={"last_name": "Петрова"})

        content = alice_client.get(_detail(request)).content.decode()

        assert "Иванова → Петрова" in content
        assert settings.OPERATOR["address"] in content

    def test_the_extension_and_its_reason_are_shown(self, alice_client, alice, file_request, act):
        request = act(file_request(alice), Action.EXTEND, comment="Нужен ответ из архива.")

        content = alice_client.get(_detail(request)).content.decode()

        assert "Нужен ответ из архива." in content
        assert f"до {request.due_on:%d.%m.%Y}" in content


class TestWithdrawing:
    def test_the_owner_withdraws_a_request_not_yet_in_work(self, alice_client, alice, file_request):
        request = file_request(alice)
        assert "Отозвать обращение" in alice_client.get(_detail(request)).content.decode()

        response = alice_client.post(_withdraw(request), follow=True)

        request.refresh_from_db()
        assert request.status == SubjectRequest.Status.WITHDRAWN
        assert f"Обращение № {request.number} отозвано." in response.content.decode()

    def test_a_request_in_work_cannot_be_withdrawn(self, alice_client, alice, file_request, act):
        request = act(file_request(alice), Action.TAKE_INTO_WORK)
        assert "Отозвать обращение" not in alice_client.get(_detail(request)).content.decode()

        response = alice_client.post(_withdraw(request), follow=True)

        request.refresh_from_db()
        assert request.status == SubjectRequest.Status.IN_WORK
        assert "отозвать его нельзя" in response.content.decode()

    def test_withdrawing_takes_a_post(self, alice_client, alice, file_request):
        assert alice_client.get(_withdraw(file_request(alice))).status_code == 405


class TestOwnerOnly:
    def test_another_consumer_gets_404_for_the_page(self, client, bob, alice, file_request):
        request = file_request(alice)
        client.force_login(bob)

        assert client.get(_detail(request)).status_code == 404

    def test_another_consumer_gets_404_for_withdrawing_and_nothing_changes(
        self, client, bob, alice, file_request
    ):
        request = file_request(alice)
        client.force_login(bob)

        assert client.post(_withdraw(request)).status_code == 404
        request.refresh_from_db()
        assert request.status == SubjectRequest.Status.RECEIVED

    @pytest.mark.parametrize("name", ["requests", "request_new"])
    def test_a_visitor_is_sent_to_sign_in(self, client, name):
        response = client.get(reverse(f"pdrequests:{name}"))

        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))

    def test_a_visitor_cannot_open_a_request(self, client, alice, file_request):
        response = client.get(_detail(file_request(alice)))

        assert response.status_code == 302


def test_the_dashboard_and_the_menu_lead_to_the_requests(alice_client):
    content = alice_client.get(reverse("billing:dashboard")).content.decode()

    assert content.count(f'href="{LIST}"') == 2
    assert "Обращения по ПДн" in content
