"""The PD-requests desk: the list with its deadlines, a request's page with its history and the
actions its state allows, each action through the state machine, Roskomnadzor's requests."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from pdrequests.models import Action, SubjectRequest
from staff.models import PersonalDataAccess
from workcalendar.terms import add_working_days, moscow_date

pytestmark = pytest.mark.django_db

REQUESTS = reverse("admin:pdrequests_subjectrequest_changelist")
ADD = reverse("admin:pdrequests_subjectrequest_add")
Kind = SubjectRequest.Kind
Status = SubjectRequest.Status


def page_of(request: SubjectRequest) -> str:
    return reverse("admin:pdrequests_subjectrequest_change", args=[request.pk])


def action_url(request: SubjectRequest, action: Action) -> str:
    return reverse("admin:pdrequests_subjectrequest_transition", args=[request.pk, action.value])


def set_due(request: SubjectRequest, due_on: datetime.date) -> None:
    SubjectRequest.objects.filter(pk=request.pk).update(due_on=due_on)


def today() -> datetime.date:
    return moscow_date(timezone.now())


def listed(client, **params) -> list[str]:
    return [r.number for r in client.get(REQUESTS, params).context["cl"].result_list]


class TestTheList:
    def test_it_shows_no_personal_data_to_anyone(self, as_staff, pd_officer, alice, file_request):
        file_request(alice, Kind.CORRECTION, corrections={"last_name": "Петрова"})

        page = as_staff(pd_officer).get(REQUESTS).content.decode()

        assert "И***** А. П." in page
        for value in ("Иванова", "alice@example.ru", "+79161234567", "Петрова"):
            assert value not in page
        assert not PersonalDataAccess.objects.exists()

    def test_an_overdue_request_is_marked_in_words(self, as_staff, clerk, alice, file_request):
        late = file_request(alice)
        set_due(late, today() - datetime.timedelta(days=1))
        on_time = file_request(alice)
        set_due(on_time, today() + datetime.timedelta(days=30))

        response = as_staff(clerk).get(REQUESTS)

        rows = response.content.decode().split("<tr")
        late_row = next(row for row in rows if late.number in row)
        on_time_row = next(row for row in rows if on_time.number in row)
        assert "⚠ просрочено" in late_row
        assert "просрочено" not in on_time_row

    def test_filters_by_deadline(self, as_staff, clerk, alice, file_request, act):
        overdue, due_today, soon, later, closed = (file_request(alice) for _ in range(5))
        set_due(overdue, today() - datetime.timedelta(days=3))
        set_due(due_today, today())
        set_due(soon, add_working_days(start=today(), days=2))
        set_due(later, add_working_days(start=today(), days=3))
        set_due(closed, today() - datetime.timedelta(days=3))
        act(closed, Action.REJECT, answer="Отказано.")
        client = as_staff(clerk)

        assert set(listed(client, due="open")) == {
            r.number for r in (overdue, due_today, soon, later)
        }
        assert listed(client, due="overdue") == [overdue.number]
        assert set(listed(client, due="soon")) == {due_today.number, soon.number}
        assert listed(client, due="today") == [due_today.number]
        assert listed(client, due="next") == [soon.number]
        assert listed(client, due="later") == [later.number]

    def test_filters_by_kind_status_and_my_requests(
        self, as_staff, pd_officer, other_officer, alice, file_request, act
    ):
        mine = act(file_request(alice, Kind.BLOCKING), Action.TAKE_INTO_WORK)
        theirs = act(file_request(alice), Action.TAKE_INTO_WORK, assignee=other_officer)
        nobodys = file_request(alice)
        client = as_staff(pd_officer)

        assert listed(client, assignee="mine") == [mine.number]
        assert listed(client, assignee="nobody") == [nobodys.number]
        assert listed(client, kind__exact=Kind.BLOCKING) == [mine.number]
        assert set(listed(client, status__exact=Status.IN_WORK)) == {mine.number, theirs.number}

    def test_it_finds_a_request_by_its_number(self, as_staff, clerk, alice, file_request):
        wanted, _other = file_request(alice), file_request(alice)

        assert listed(as_staff(clerk), q=wanted.number) == [wanted.number]
        assert listed(as_staff(clerk), q=f" {wanted.number.lower()} ") == [wanted.number]

    def test_its_query_count_does_not_grow_with_the_requests(
        self, as_staff, pd_officer, django_user_model, file_request, django_assert_num_queries
    ):
        people = [
            django_user_model.objects.create_user(f"p{i}@example.ru", "x", last_name=f"Фам{i}")
            for i in range(30)
        ]
        file_request(people[0])
        SubjectRequest.objects.update(due_on=today())
        client = as_staff(pd_officer)
        client.get(REQUESTS)  # the session is saved once

        # The session (1), the user and their permissions (3), the
        # second factor's device (1), the calendar for the filter and for the markers (2), the
        # count and the page (2).
        with django_assert_num_queries(9):
            first = client.get(REQUESTS, {"due": "soon", "status__exact": Status.RECEIVED})
        for person in people[1:]:
            file_request(person, Kind.BLOCKING)
        SubjectRequest.objects.update(due_on=today())
        with django_assert_num_queries(9):
            thirty = client.get(REQUESTS, {"due": "soon", "status__exact": Status.RECEIVED})

        assert len(first.context["cl"].result_list) == 1
        assert len(thirty.context["cl"].result_list) == 30


class TestARequestsPage:
    def test_it_shows_the_history_and_the_actions_allowed_now(
        self, as_staff, pd_officer, alice, file_request, act
    ):
        request = act(file_request(alice), Action.TAKE_INTO_WORK, comment="Беру в работу.")

        page = as_staff(pd_officer).get(page_of(request)).content.decode()

        assert "обращение подано" in page
        assert "Беру в работу." in page
        assert "получено → в работе" in page
        assert action_url(request, Action.COMPLETE) in page
        assert action_url(request, Action.REQUEST_DOCUMENTS) in page
        assert action_url(request, Action.TAKE_INTO_WORK) not in page
        assert action_url(request, Action.WITHDRAW) not in page

    def test_the_pd_officer_sees_the_subjects_data_and_the_look_is_recorded(
        self, as_staff, pd_officer, alice, file_request, act
    ):
        # A correction blocks the data: only the request's assignee sees them.
        request = file_request(alice, Kind.CORRECTION, corrections={"last_name": "Петрова"})
        request = act(request, Action.TAKE_INTO_WORK, actor=pd_officer)

        page = as_staff(pd_officer).get(page_of(request)).content.decode()

        assert "Иванова Алиса Петровна" in page
        assert "Иванова → Петрова" in page
        entry = PersonalDataAccess.objects.get()
        assert (entry.subject, entry.action) == (alice, PersonalDataAccess.Action.VIEWED)
        assert request.number in entry.object_label

    def test_staff_without_rights_see_masks_and_no_actions(
        self, as_staff, clerk, alice, file_request
    ):
        request = file_request(alice, Kind.CORRECTION, corrections={"last_name": "Петрова"})

        page = as_staff(clerk).get(page_of(request)).content.decode()

        for value in ("Иванова", "alice@example.ru", "+79161234567", "Петрова"):
            assert value not in page
        assert "a***@example.ru" in page
        assert action_url(request, Action.TAKE_INTO_WORK) not in page
        assert not PersonalDataAccess.objects.exists()

    def test_a_blocked_subject_is_masked_except_to_the_assignee(
        self, as_staff, pd_officer, other_officer, alice, file_request, act
    ):
        request = act(file_request(alice, Kind.BLOCKING), Action.TAKE_INTO_WORK)

        to_other = as_staff(other_officer).get(page_of(request)).content.decode()
        to_assignee = as_staff(pd_officer).get(page_of(request)).content.decode()

        assert "alice@example.ru" not in to_other
        assert "заблокированы" in to_other
        assert "alice@example.ru" in to_assignee
        assert list(PersonalDataAccess.objects.values_list("staff_user", flat=True)) == [
            pd_officer.pk
        ]


ALICE_AS_FORM = {
    "new_last_name": "Петрова",
    "new_first_name": "Алиса",
    "new_patronymic": "Петровна",
    "new_email": "alice@example.ru",
    "new_phone": "+79161234567",
}


def _received(file_request, act, alice):
    return file_request(alice)


def _in_work(file_request, act, alice):
    return act(file_request(alice), Action.TAKE_INTO_WORK)


def _awaiting_documents(file_request, act, alice):
    return act(_in_work(file_request, act, alice), Action.REQUEST_DOCUMENTS)


def _correction_with_documents(file_request, act, alice):
    request = act(
        file_request(alice, Kind.CORRECTION, corrections={"last_name": "Петрова"}),
        Action.TAKE_INTO_WORK,
    )
    return act(act(request, Action.REQUEST_DOCUMENTS), Action.RECEIVE_DOCUMENTS)


def _blocking(file_request, act, alice):
    return act(file_request(alice, Kind.BLOCKING), Action.TAKE_INTO_WORK)


def _withdrawal_in_work(file_request, act, alice):
    return act(file_request(alice, Kind.WITHDRAWAL), Action.TAKE_INTO_WORK)


# Each staff action: a request where it is allowed, and what its form needs beyond the comment.
EVERY_STAFF_ACTION = [
    (Action.TAKE_INTO_WORK, _received, {}),
    (Action.REQUEST_DOCUMENTS, _in_work, {}),
    (Action.RECEIVE_DOCUMENTS, _awaiting_documents, {}),
    (Action.APPLY_CORRECTION, _correction_with_documents, ALICE_AS_FORM),
    (Action.BLOCK, _received, {}),
    (Action.UNBLOCK, _blocking, {}),
    (Action.DESTROY, _withdrawal_in_work, {"confirm": "on", "position": "специалист"}),
    (Action.EXTEND, _received, {}),
    (Action.COMPLETE, _in_work, {"answer": "Сведения направлены."}),
    (Action.REJECT, _received, {"answer": "Оснований нет."}),
]


@pytest.mark.parametrize(
    ("action", "bring", "data"), EVERY_STAFF_ACTION, ids=[a.value for a, *_ in EVERY_STAFF_ACTION]
)
def test_every_action_is_offered_and_taken_through_the_state_machine(
    as_staff, pd_officer, alice, file_request, act, action, bring, data
):
    request = bring(file_request, act, alice)
    client = as_staff(pd_officer)
    assert action_url(request, action) in client.get(page_of(request)).content.decode()
    assert client.get(action_url(request, action)).status_code == 200

    response = client.post(
        action_url(request, action),
        # The assignee is asked only when taking into work; other forms ignore it.
        {"comment": "Сделано по регламенту.", "assignee": pd_officer.pk, **data},
    )

    assert response.status_code == 302
    event = request.events.latest("at", "pk")
    assert (event.action, event.actor, event.comment) == (
        action,
        pd_officer,
        "Сделано по регламенту.",
    )


class TestActions:
    def test_taking_into_work_asks_for_a_comment_and_runs_the_state_machine(
        self, as_staff, pd_officer, alice, file_request
    ):
        request = file_request(alice)
        client = as_staff(pd_officer)

        without_comment = client.post(
            action_url(request, Action.TAKE_INTO_WORK), {"assignee": pd_officer.pk}
        )
        request.refresh_from_db()
        assert request.status == Status.RECEIVED
        assert "Напишите комментарий" in without_comment.content.decode()

        response = client.post(
            action_url(request, Action.TAKE_INTO_WORK),
            {"assignee": pd_officer.pk, "comment": "Проверяю."},
            follow=True,
        )

        request.refresh_from_db()
        assert (request.status, request.assignee) == (Status.IN_WORK, pd_officer)
        event = request.events.last()
        assert (event.action, event.actor, event.comment) == (
            Action.TAKE_INTO_WORK,
            pd_officer,
            "Проверяю.",
        )
        assert "Состояние: в работе" in response.content.decode()

    def test_an_illegal_action_is_refused_with_the_machines_message(
        self, as_staff, pd_officer, alice, file_request, act
    ):
        request = act(file_request(alice, Kind.BLOCKING), Action.TAKE_INTO_WORK)

        response = as_staff(pd_officer).post(
            action_url(request, Action.COMPLETE),
            {"comment": "Готово.", "answer": "Данные верны."},
            follow=True,
        )

        assert "сначала снимите блокирование" in response.content.decode()
        request.refresh_from_db()
        assert request.status == Status.IN_WORK
        assert request.blocking_in_force

    def test_an_action_on_a_closed_request_is_refused(
        self, as_staff, pd_officer, alice, file_request, act
    ):
        request = act(file_request(alice), Action.REJECT, answer="Нет оснований.")

        response = as_staff(pd_officer).post(
            action_url(request, Action.TAKE_INTO_WORK),
            {"assignee": pd_officer.pk, "comment": "Ещё раз."},
        )

        assert "закрыто" in response.content.decode()
        request.refresh_from_db()
        assert request.status == Status.REJECTED

    def test_a_blocking_request_is_unblocked_and_completed_with_an_answer(
        self, as_staff, pd_officer, alice, file_request, act
    ):
        request = act(file_request(alice, Kind.BLOCKING), Action.TAKE_INTO_WORK)
        client = as_staff(pd_officer)

        client.post(action_url(request, Action.UNBLOCK), {"comment": "Данные проверены."})
        client.post(
            action_url(request, Action.COMPLETE),
            {"comment": "Ответ дан.", "answer": "Данные верны, блокирование снято."},
        )

        request.refresh_from_db()
        assert request.status == Status.COMPLETED
        assert request.answer == "Данные верны, блокирование снято."
        assert not request.blocking_in_force

    def test_completing_requires_the_answer(self, as_staff, pd_officer, alice, file_request, act):
        request = act(file_request(alice), Action.TAKE_INTO_WORK)

        response = as_staff(pd_officer).post(
            action_url(request, Action.COMPLETE), {"comment": "Готово."}
        )

        assert "Напишите ответ заявителю." in response.content.decode()
        request.refresh_from_db()
        assert request.status == Status.IN_WORK

    def test_a_correction_records_old_and_new_values_and_the_change_of_data(
        self, as_staff, pd_officer, alice, file_request, act
    ):
        request = file_request(alice, Kind.CORRECTION, corrections={"last_name": "Петрова"})
        act(request, Action.TAKE_INTO_WORK)
        act(request, Action.REQUEST_DOCUMENTS)
        act(request, Action.RECEIVE_DOCUMENTS)
        client = as_staff(pd_officer)
        form = client.get(action_url(request, Action.APPLY_CORRECTION))
        assert form.context["form"]["new_last_name"].value() == "Петрова"

        client.post(
            action_url(request, Action.APPLY_CORRECTION),
            {
                "comment": "Паспорт предъявлен.",
                "new_last_name": "Петрова",
                "new_first_name": "Алиса",
                "new_patronymic": "Петровна",
                "new_email": "alice@example.ru",
                "new_phone": "+79161234567",
            },
        )

        alice.refresh_from_db()
        assert alice.last_name == "Петрова"
        event = request.events.get(action=Action.APPLY_CORRECTION)
        assert event.data["changes"] == [{"field": "last_name", "old": "Иванова", "new": "Петрова"}]
        change = PersonalDataAccess.objects.get(action=PersonalDataAccess.Action.CHANGED)
        assert (change.subject, change.changed_fields) == (alice, ["last_name"])
        page = client.get(page_of(request)).content.decode()
        assert "фамилия: Иванова → Петрова" in page

    def test_a_correction_is_not_offered_to_who_cannot_see_the_data(
        self, as_staff, other_officer, pd_officer, alice, file_request, act
    ):
        request = act(file_request(alice, Kind.BLOCKING), Action.TAKE_INTO_WORK)
        act(request, Action.REQUEST_DOCUMENTS)
        act(request, Action.RECEIVE_DOCUMENTS)

        response = as_staff(other_officer).get(
            action_url(request, Action.APPLY_CORRECTION), follow=True
        )

        page = response.content.decode()
        assert "Уточнять данные может только сотрудник" in page
        assert "alice@example.ru" not in page

    def test_the_extension_reason_is_the_comment(self, as_staff, pd_officer, alice, file_request):
        request = file_request(alice)
        due = request.due_on

        as_staff(pd_officer).post(
            action_url(request, Action.EXTEND), {"comment": "Нужен запрос в архив."}
        )

        request.refresh_from_db()
        assert request.extension_reason == "Нужен запрос в архив."
        assert request.due_on == add_working_days(start=due, days=5)

    def test_destruction_needs_a_confirmation_and_leaves_a_printable_act(
        self, as_staff, pd_officer, alice, bob, file_request, act
    ):
        request = act(file_request(alice, Kind.WITHDRAWAL), Action.TAKE_INTO_WORK)
        client = as_staff(pd_officer)

        unconfirmed = client.post(action_url(request, Action.DESTROY), {"comment": "Отзыв."})
        assert "Подтвердите уничтожение" in unconfirmed.content.decode()
        assert "Укажите должность: она нужна для акта." in unconfirmed.content.decode()
        client.post(
            action_url(request, Action.DESTROY),
            {"comment": "Отзыв.", "confirm": "on", "position": "ведущий специалист"},
        )

        request.refresh_from_db()
        alice.refresh_from_db()
        assert request.destroyed_at is not None
        assert alice.last_name == ""
        change = PersonalDataAccess.objects.get(action=PersonalDataAccess.Action.CHANGED)
        assert change.subject == alice
        page = client.get(page_of(request)).content.decode()
        act_url = reverse(
            "admin:pdrequests_destructionact_print", args=[request.destruction_act.pk]
        )
        assert act_url in page
        assert request.destruction_act.performer_position == "ведущий специалист"
        # The next destruction form offers the position this officer gave.
        other = act(file_request(bob, Kind.WITHDRAWAL), Action.TAKE_INTO_WORK)
        form = client.get(action_url(other, Action.DESTROY)).content.decode()
        assert 'value="ведущий специалист"' in form

    def test_an_unknown_action_is_not_found(self, as_staff, pd_officer, alice, file_request):
        request = file_request(alice)
        url = reverse("admin:pdrequests_subjectrequest_transition", args=[request.pk, "fly"])

        assert as_staff(pd_officer).get(url).status_code == 404


class TestTheAuditor:
    def test_views_the_list_and_a_request_but_sees_no_data(
        self, as_staff, auditor, alice, file_request
    ):
        request = file_request(alice, Kind.BLOCKING)
        client = as_staff(auditor)

        assert client.get(REQUESTS).status_code == 200
        page = client.get(page_of(request)).content.decode()
        assert request.number in page
        assert "alice@example.ru" not in page
        assert "Фамилия указана с ошибкой." not in page  # the details may hold personal data

    def test_every_change_and_action_is_refused(
        self, as_staff, auditor, pd_officer, alice, file_request
    ):
        request = file_request(alice)
        client = as_staff(auditor)

        assert client.post(page_of(request), {"status": Status.COMPLETED}).status_code == 403
        for action in Action:
            assert client.get(action_url(request, action)).status_code == 403
            assert client.post(action_url(request, action), {"comment": "x"}).status_code == 403
        assert client.get(ADD).status_code == 403
        delete = reverse("admin:pdrequests_subjectrequest_delete", args=[request.pk])
        assert client.post(delete, {"post": "yes"}).status_code == 403
        request.refresh_from_db()
        assert request.status == Status.RECEIVED
        assert request.events.count() == 1


class TestFilingForRoskomnadzor:
    def test_staff_register_the_authoritys_request_with_its_letter(
        self, as_staff, pd_officer, alice, mailoutbox
    ):
        response = as_staff(pd_officer).post(
            ADD,
            {
                "subject_email": "Alice@Example.ru",
                "kind": Kind.BLOCKING,
                "reason": SubjectRequest.Reason.UNLAWFUL,
                "details": "Требование о блокировании.",
                "authority_letter_number": "08-12345",
                "authority_letter_date": "01.03.2026",
                "authority_email": "rsockanc77@example.gov.ru",
            },
            follow=True,
        )

        request = SubjectRequest.objects.get()
        assert request.authority_email == "rsockanc77@example.gov.ru"
        assert (request.subject, request.filed_by, request.filed_by_user) == (
            alice,
            SubjectRequest.FiledBy.AUTHORITY,
            pd_officer,
        )
        assert (request.authority_letter_number, request.authority_letter_date) == (
            "08-12345",
            datetime.date(2026, 3, 1),
        )
        assert request.blocking_in_force
        assert f"Обращение № {request.number} зарегистрировано" in response.content.decode()

    def test_bad_input_is_explained_next_to_the_fields(self, as_staff, pd_officer):
        response = as_staff(pd_officer).post(
            ADD, {"subject_email": "nobody@example.ru", "kind": Kind.BLOCKING}
        )

        page = response.content.decode()
        assert "Учётной записи с таким адресом нет." in page
        assert "Укажите номер письма Роскомнадзора." in page
        assert "Укажите дату письма." in page
        assert "Укажите адрес Роскомнадзора для ответа." in page
        assert 'aria-invalid="true"' in page
        assert not SubjectRequest.objects.exists()
