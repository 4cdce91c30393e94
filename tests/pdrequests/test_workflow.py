"""The state machine: every allowed and refused transition, who may take it, and what it does."""

import pytest
from django.urls import reverse

from pdrequests.models import Action, SubjectRequest
from pdrequests.workflow import TransitionNotAllowed, available_actions, subject_request_transition

pytestmark = pytest.mark.django_db

Kind = SubjectRequest.Kind
Status = SubjectRequest.Status

ANSWER = "Сведения об обработке ваших данных направлены письмом."

# For a request of a kind with no special rules (access to information), what each status allows.
STAFF_ACTIONS_BY_STATUS = {
    Status.RECEIVED: {Action.TAKE_INTO_WORK, Action.BLOCK, Action.EXTEND, Action.REJECT},
    Status.IN_WORK: {
        Action.REQUEST_DOCUMENTS,
        Action.BLOCK,
        Action.EXTEND,
        Action.COMPLETE,
        Action.REJECT,
    },
    Status.AWAITING_DOCUMENTS: {
        Action.RECEIVE_DOCUMENTS,
        Action.BLOCK,
        Action.EXTEND,
        Action.REJECT,
    },
    Status.COMPLETED: set(),
    Status.REJECTED: set(),
    Status.WITHDRAWN: set(),
}
STATUS_AFTER = {
    Action.TAKE_INTO_WORK: Status.IN_WORK,
    Action.REQUEST_DOCUMENTS: Status.AWAITING_DOCUMENTS,
    Action.RECEIVE_DOCUMENTS: Status.IN_WORK,
    Action.COMPLETE: Status.COMPLETED,
    Action.REJECT: Status.REJECTED,
    Action.WITHDRAW: Status.WITHDRAWN,
}
STAFF_ACTIONS = [a for a in Action if a != Action.WITHDRAW]


def _data(action: Action) -> dict:
    """What an action needs besides its comment."""
    return {"answer": ANSWER} if action in (Action.COMPLETE, Action.REJECT) else {}


@pytest.fixture
def request_in(alice, file_request, act):
    """A request of `kind` brought to `status` by the usual path."""

    def bring(status: str, kind: str = Kind.ACCESS) -> SubjectRequest:
        request = file_request(alice, kind)
        if status == Status.WITHDRAWN:
            return act(request, Action.WITHDRAW, actor=alice, comment="")
        if status == Status.REJECTED:
            return act(request, Action.REJECT, answer=ANSWER)
        if status == Status.RECEIVED:
            return request
        request = act(request, Action.TAKE_INTO_WORK)
        if status == Status.AWAITING_DOCUMENTS:
            return act(request, Action.REQUEST_DOCUMENTS)
        if status == Status.COMPLETED:
            return act(request, Action.COMPLETE, answer=ANSWER)
        return request

    return bring


def _refused(request, action, *, actor, match: str | None = None, **data) -> None:
    """The action is refused with a message, and neither the request nor its history changed."""
    before = SubjectRequest.objects.get(pk=request.pk)
    events_before = before.events.count()
    with pytest.raises(TransitionNotAllowed, match=match) as refusal:
        subject_request_transition(
            request=request, action=action, actor=actor, comment="Комментарий.", **data
        )
    assert refusal.value.message
    after = SubjectRequest.objects.get(pk=request.pk)
    assert (after.status, after.due_on, after.blocked_at, after.unblocked_at) == (
        before.status,
        before.due_on,
        before.blocked_at,
        before.unblocked_at,
    )
    assert after.events.count() == events_before


@pytest.mark.parametrize("status", list(STAFF_ACTIONS_BY_STATUS))
def test_available_actions_per_status(request_in, status):
    request = request_in(status)

    assert set(available_actions(request)) == STAFF_ACTIONS_BY_STATUS[status]
    assert available_actions(request, for_subject=True) == (
        [Action.WITHDRAW] if status == Status.RECEIVED else []
    )


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (status, action)
        for status, allowed in STAFF_ACTIONS_BY_STATUS.items()
        for action in STAFF_ACTIONS
        if action in allowed
    ],
)
def test_each_allowed_staff_transition_moves_the_request_and_records_it(
    request_in, act, pd_officer, status, action
):
    request = request_in(status)

    request = act(request, action, comment="Сделано по регламенту.", **_data(action))

    assert request.status == STATUS_AFTER.get(action, status)
    event = request.events.order_by("-at", "-pk").first()
    assert (event.action, event.from_status, event.to_status) == (action, status, request.status)
    assert (event.actor, event.comment) == (pd_officer, "Сделано по регламенту.")


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (status, action)
        for status, allowed in STAFF_ACTIONS_BY_STATUS.items()
        for action in STAFF_ACTIONS
        if action not in allowed
    ],
)
def test_each_refused_staff_transition_changes_nothing(request_in, pd_officer, status, action):
    _refused(request_in(status), action, actor=pd_officer, **_data(action))


def test_a_closed_request_says_it_is_closed(request_in, pd_officer):
    request = request_in(Status.COMPLETED)

    _refused(request, Action.REJECT, actor=pd_officer, match="закрыто", answer=ANSWER)


class TestWithdrawalBySubject:
    def test_the_subject_withdraws_a_request_not_yet_in_work(self, request_in, alice):
        request = request_in(Status.RECEIVED)

        request = subject_request_transition(
            request=request, action=Action.WITHDRAW, actor=alice, comment=""
        )

        assert request.status == Status.WITHDRAWN
        assert request.outcome == SubjectRequest.Outcome.WITHDRAWN
        assert request.completed_at is not None

    @pytest.mark.parametrize("status", [s for s in STAFF_ACTIONS_BY_STATUS if s != Status.RECEIVED])
    def test_nor_once_it_is_in_work_or_closed(self, request_in, alice, status):
        _refused(request_in(status), Action.WITHDRAW, actor=alice)

    def test_a_request_in_work_cannot_be_withdrawn_and_the_message_says_why(
        self, request_in, alice
    ):
        _refused(request_in(Status.IN_WORK), Action.WITHDRAW, actor=alice, match="в работу")

    def test_another_consumer_cannot_withdraw_it(self, request_in, bob):
        _refused(request_in(Status.RECEIVED), Action.WITHDRAW, actor=bob, match="заявитель")

    def test_staff_cannot_withdraw_it_for_the_subject(self, request_in, pd_officer):
        _refused(request_in(Status.RECEIVED), Action.WITHDRAW, actor=pd_officer)

    def test_withdrawing_a_blocking_request_ends_the_blocking(self, alice, file_request, act):
        request = file_request(alice, Kind.BLOCKING)

        request = act(request, Action.WITHDRAW, actor=alice, comment="")

        assert not request.blocking_in_force
        assert request.events.get(action=Action.WITHDRAW).data == {"unblocked": True}


class TestWhoMayAct:
    @pytest.mark.parametrize("action", [Action.TAKE_INTO_WORK, Action.REJECT, Action.BLOCK])
    def test_a_consumer_cannot_take_staff_actions_even_on_their_own_request(
        self, request_in, alice, action
    ):
        _refused(request_in(Status.RECEIVED), action, actor=alice, **_data(action))

    def test_staff_without_the_permission_cannot_act(self, request_in, django_user_model):
        clerk = django_user_model.objects.create_user(
            "clerk@ivsbyt.ru", "пароль-сотрудника-2026", is_staff=True
        )

        _refused(request_in(Status.RECEIVED), Action.TAKE_INTO_WORK, actor=clerk, match="прав")

    @pytest.mark.parametrize("comment", ["", "   "])
    def test_a_staff_action_needs_a_comment(self, request_in, pd_officer, comment):
        request = request_in(Status.RECEIVED)

        with pytest.raises(TransitionNotAllowed, match="комментарий"):
            subject_request_transition(
                request=request, action=Action.TAKE_INTO_WORK, actor=pd_officer, comment=comment
            )
        assert SubjectRequest.objects.get(pk=request.pk).status == Status.RECEIVED

    def test_taking_into_work_assigns_the_officer_by_default(self, request_in, act, pd_officer):
        request = act(request_in(Status.RECEIVED), Action.TAKE_INTO_WORK)

        assert request.assignee == pd_officer
        assert request.events.get(action=Action.TAKE_INTO_WORK).data == {"assignee": pd_officer.pk}

    def test_an_officer_may_assign_a_colleague_but_not_a_consumer(
        self, request_in, act, admin_user, bob
    ):
        with pytest.raises(TransitionNotAllowed, match="сотрудник"):
            act(request_in(Status.RECEIVED), Action.TAKE_INTO_WORK, assignee=bob)

        request = act(request_in(Status.RECEIVED), Action.TAKE_INTO_WORK, assignee=admin_user)
        assert request.assignee == admin_user

    def test_a_stale_copy_acts_on_the_request_as_it_is_now(self, request_in, act, pd_officer):
        stale = request_in(Status.RECEIVED)
        act(SubjectRequest.objects.get(pk=stale.pk), Action.TAKE_INTO_WORK)

        _refused(stale, Action.TAKE_INTO_WORK, actor=pd_officer)


class TestClosing:
    @pytest.mark.parametrize("action", [Action.COMPLETE, Action.REJECT])
    def test_an_answer_to_the_subject_is_required(self, request_in, pd_officer, action):
        _refused(request_in(Status.IN_WORK), action, actor=pd_officer, match="ответ", answer=" ")

    def test_completion_keeps_the_answer_and_the_outcome(self, request_in, act):
        request = act(request_in(Status.IN_WORK), Action.COMPLETE, answer=ANSWER)

        assert request.answer == ANSWER
        assert request.outcome == SubjectRequest.Outcome.ANSWERED
        assert request.completed_at is not None

    def test_rejection_ends_a_blocking_in_force(self, alice, file_request, act):
        request = file_request(alice, Kind.BLOCKING)

        request = act(request, Action.REJECT, answer="Данные достоверны: подтверждены договором.")

        assert request.status == Status.REJECTED
        assert request.outcome == SubjectRequest.Outcome.REJECTED
        assert not request.blocking_in_force


class TestBlockingRules:
    def test_a_blocking_request_cannot_be_blocked_again_but_can_be_unblocked(
        self, alice, file_request, pd_officer
    ):
        request = file_request(alice, Kind.BLOCKING)

        assert Action.BLOCK not in available_actions(request)
        assert Action.UNBLOCK in available_actions(request)
        _refused(request, Action.BLOCK, actor=pd_officer, match="уже заблокированы")

    def test_unblocking_ends_it_for_good(self, alice, file_request, act, pd_officer):
        request = act(file_request(alice, Kind.BLOCKING), Action.UNBLOCK)

        assert request.unblocked_at is not None
        _refused(request, Action.UNBLOCK, actor=pd_officer, match="не заблокированы")
        _refused(request, Action.BLOCK, actor=pd_officer, match="уже было снято")

    def test_staff_may_block_on_another_kind_of_request(self, request_in, act):
        request = act(request_in(Status.IN_WORK, Kind.OTHER), Action.BLOCK)

        assert request.blocking_in_force

    def test_a_blocking_request_is_not_completed_while_the_blocking_holds(
        self, alice, file_request, act, pd_officer
    ):
        request = act(file_request(alice, Kind.BLOCKING), Action.TAKE_INTO_WORK)

        _refused(request, Action.COMPLETE, actor=pd_officer, match="снимите", answer=ANSWER)

        request = act(request, Action.UNBLOCK)
        request = act(request, Action.COMPLETE, answer="Проверка завершена, данные верны.")
        assert request.outcome == SubjectRequest.Outcome.UNBLOCKED

    def test_destruction_is_refused_for_inaccurate_data(self, alice, file_request, act, pd_officer):
        request = act(file_request(alice, Kind.BLOCKING), Action.TAKE_INTO_WORK)

        _refused(request, Action.DESTROY, actor=pd_officer, match="неправомерной")


class TestCorrectionRules:
    @pytest.fixture
    def correction(self, alice, file_request, act):
        request = file_request(
            alice, Kind.CORRECTION, corrections={"last_name": "Петрова", "phone": "+79035550011"}
        )
        return act(request, Action.TAKE_INTO_WORK)

    def test_correction_waits_for_the_documents(self, correction, pd_officer):
        _refused(correction, Action.APPLY_CORRECTION, actor=pd_officer, match="документы")

    def test_correction_changes_the_data_and_records_old_and_new_values(
        self, correction, act, alice
    ):
        request = act(correction, Action.REQUEST_DOCUMENTS)
        request = act(request, Action.RECEIVE_DOCUMENTS, comment="Паспорт предъявлен.")

        request = act(request, Action.APPLY_CORRECTION, comment="Исправлено по паспорту.")

        alice.refresh_from_db()
        assert (alice.last_name, alice.phone) == ("Петрова", "+79035550011")
        event = request.events.get(action=Action.APPLY_CORRECTION)
        assert event.data == {
            "changes": [
                {"field": "last_name", "old": "Иванова", "new": "Петрова"},
                {"field": "phone", "old": "+79161234567", "new": "+79035550011"},
            ]
        }
        assert request.corrected_at is not None

    def test_staff_may_correct_to_other_values_than_asked(self, correction, act, alice):
        request = act(act(correction, Action.REQUEST_DOCUMENTS), Action.RECEIVE_DOCUMENTS)

        act(request, Action.APPLY_CORRECTION, changes={"first_name": "Алиса-Мария"})

        alice.refresh_from_db()
        assert (alice.first_name, alice.last_name) == ("Алиса-Мария", "Иванова")

    def test_a_correction_to_a_taken_address_changes_nothing(
        self, correction, act, alice, bob, pd_officer
    ):
        request = act(act(correction, Action.REQUEST_DOCUMENTS), Action.RECEIVE_DOCUMENTS)

        _refused(
            request,
            Action.APPLY_CORRECTION,
            actor=pd_officer,
            changes={"last_name": "Петрова", "email": bob.email},
        )

        alice.refresh_from_db()
        assert (alice.last_name, alice.email) == ("Иванова", "alice@example.ru")

    def test_a_correction_request_completes_only_once_corrected(self, correction, act, pd_officer):
        _refused(correction, Action.COMPLETE, actor=pd_officer, match="не уточнены", answer=ANSWER)

        request = act(act(correction, Action.REQUEST_DOCUMENTS), Action.RECEIVE_DOCUMENTS)
        request = act(request, Action.APPLY_CORRECTION)
        request = act(request, Action.COMPLETE, answer="Данные уточнены.")

        assert request.outcome == SubjectRequest.Outcome.CORRECTED

    def test_after_the_documents_the_term_is_the_correction_one_and_cannot_be_extended(
        self, correction, act, pd_officer
    ):
        assert Action.EXTEND in available_actions(correction)

        request = act(act(correction, Action.REQUEST_DOCUMENTS), Action.RECEIVE_DOCUMENTS)

        _refused(request, Action.EXTEND, actor=pd_officer, match="срок ответа")


class TestExtension:
    def test_the_term_is_extended_only_once(self, request_in, act, pd_officer):
        request = act(request_in(Status.IN_WORK), Action.EXTEND, comment="Нужен запрос в архив.")

        _refused(request, Action.EXTEND, actor=pd_officer, match="один раз")

    def test_the_thirty_days_after_a_withdrawal_are_not_extended(self, request_in, pd_officer):
        _refused(request_in(Status.IN_WORK, Kind.WITHDRAWAL), Action.EXTEND, actor=pd_officer)


class TestWithdrawalOfConsentRules:
    def test_completed_only_after_the_data_is_destroyed(self, request_in, act, pd_officer):
        request = request_in(Status.IN_WORK, Kind.WITHDRAWAL)

        _refused(request, Action.COMPLETE, actor=pd_officer, match="не уничтожены", answer=ANSWER)

        request = act(request, Action.DESTROY, comment="Согласие отозвано 01.03.")
        _refused(request, Action.DESTROY, actor=pd_officer, match="уже уничтожены")
        request = act(request, Action.COMPLETE, answer="Данные уничтожены.")
        assert request.outcome == SubjectRequest.Outcome.DESTROYED


class TestLetters:
    """The subject hears of every step, by letter, once the step is committed."""

    def test_each_step_is_told_after_commit(
        self, alice, file_request, act, mailoutbox, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            request = file_request(alice)
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            request = act(request, Action.TAKE_INTO_WORK)
            assert len(mailoutbox) == 1  # not before the commit
        with django_capture_on_commit_callbacks(execute=True):
            act(request, Action.EXTEND, comment="Нужен ответ из архива.")

        assert len(callbacks) == 1
        assert [letter.to for letter in mailoutbox] == [["alice@example.ru"]] * 3
        filed, taken, extended = mailoutbox
        assert f"Обращение № {request.number}: обращение подано" in filed.subject
        assert "взято в работу" in taken.subject
        assert "Здравствуйте, Алиса Петровна!" in taken.body
        assert "Нужен ответ из архива." in extended.body
        request.refresh_from_db()
        assert f"{request.due_on:%d.%m.%Y}" in extended.body
        assert reverse("pdrequests:request_detail", args=[request.pk]) in extended.body

    def test_the_answer_is_in_the_last_letter(
        self, request_in, act, mailoutbox, django_capture_on_commit_callbacks
    ):
        request = request_in(Status.IN_WORK)

        with django_capture_on_commit_callbacks(execute=True):
            act(request, Action.COMPLETE, answer=ANSWER)

        [letter] = mailoutbox
        assert ANSWER in letter.body
        assert ANSWER in letter.alternatives[0].content

    def test_a_refused_step_sends_nothing(
        self, request_in, pd_officer, mailoutbox, django_capture_on_commit_callbacks
    ):
        request = request_in(Status.RECEIVED)

        with (
            django_capture_on_commit_callbacks(execute=True) as callbacks,
            pytest.raises(TransitionNotAllowed),
        ):
            subject_request_transition(
                request=request, action=Action.COMPLETE, actor=pd_officer, comment="Готово."
            )

        assert callbacks == []
        assert mailoutbox == []
