"""The request itself: its number, its due date per kind on the real calendar, its filters, and
the append-only journal."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from pdrequests.models import Action, DestructionAct, SubjectRequest, SubjectRequestEvent
from tests.consents.conftest import assert_refused, raw_sql

pytestmark = pytest.mark.django_db

Kind = SubjectRequest.Kind
Reason = SubjectRequest.Reason


class TestNumber:
    def test_number_names_the_year_of_receipt_and_a_serial(self, alice, file_request):
        first = file_request(alice)
        second = file_request(alice)

        year = first.received_at.year
        assert first.number.startswith(f"ПДн-{year}-")
        assert len(first.number.rsplit("-", 1)[1]) == 6
        assert int(second.number.rsplit("-", 1)[1]) == int(first.number.rsplit("-", 1)[1]) + 1

    def test_the_year_is_the_moscow_one(self, alice, file_request, frozen_now):
        frozen_now(2025, 12, 31, 23, 30)  # 20:30 UTC
        assert file_request(alice).number.startswith("ПДн-2025-")

        frozen_now(2026, 1, 1, 1, 0)  # still 31 December in UTC
        assert file_request(alice).number.startswith("ПДн-2026-")

    def test_a_number_rolled_back_is_never_handed_out_again(self, alice, file_request):
        with pytest.raises(RuntimeError), transaction.atomic():
            lost = file_request(alice)
            raise RuntimeError("the filing failed after the number was taken")

        assert file_request(alice).number != lost.number
        assert not SubjectRequest.objects.filter(number=lost.number).exists()


class TestDueDateOnTheRealCalendar:
    """Terms count from the day after receipt, in Russian working days (README: calendar)."""

    def test_access_request_is_answered_in_ten_working_days_after_the_new_year_holidays(
        self, alice, file_request, frozen_now
    ):
        frozen_now(2025, 12, 30, 12, 0)

        assert file_request(alice, Kind.ACCESS).due_on == date(2026, 1, 23)

    def test_blocking_for_inaccurate_data_is_answered_in_ten_working_days(
        self, alice, file_request, frozen_now
    ):
        frozen_now(2025, 12, 30, 12, 0)

        request = file_request(alice, Kind.BLOCKING, reason=Reason.INACCURATE)

        assert request.due_on == date(2026, 1, 23)

    def test_unlawful_processing_is_stopped_in_three_working_days(
        self, alice, file_request, frozen_now
    ):
        frozen_now(2025, 12, 30, 12, 0)  # 31.12 and 01–11.01 are off

        request = file_request(alice, Kind.BLOCKING, reason=Reason.UNLAWFUL)

        assert request.due_on == date(2026, 1, 14)

    def test_unlawful_processing_term_counts_a_transferred_working_saturday(
        self, alice, file_request, frozen_now
    ):
        frozen_now(2025, 10, 30, 10, 0)  # 31.10, Saturday 01.11 work; 03.11 and 04.11 are off

        request = file_request(alice, Kind.BLOCKING, reason=Reason.UNLAWFUL)

        assert request.due_on == date(2025, 11, 5)

    def test_withdrawal_gives_thirty_days_at_most_even_into_the_holidays(
        self, alice, file_request, frozen_now
    ):
        frozen_now(2025, 12, 2, 9, 0)  # the 30th day is 01.01.2026

        assert file_request(alice, Kind.WITHDRAWAL).due_on == date(2026, 1, 1)

    def test_a_request_received_just_after_moscow_midnight_counts_from_the_moscow_date(
        self, alice, file_request, frozen_now
    ):
        frozen_now(2025, 9, 8, 0, 30)  # Monday in Moscow, still Sunday in UTC

        assert file_request(alice, Kind.ACCESS).due_on == date(2025, 9, 22)

    def test_correction_is_due_seven_working_days_after_the_documents(
        self, alice, file_request, frozen_now, act
    ):
        frozen_now(2025, 4, 21, 10, 0)
        request = file_request(alice, Kind.CORRECTION, corrections={"last_name": "Петрова"})
        assert request.due_on == date(2025, 5, 7)  # the answer's 10 days, 01–04.05 skipped
        request = act(request, Action.TAKE_INTO_WORK)
        request = act(request, Action.REQUEST_DOCUMENTS)

        frozen_now(2025, 4, 30, 15, 0)
        request = act(request, Action.RECEIVE_DOCUMENTS)

        # 01–04.05 and 08–11.05 are off: 5, 6, 7, 12, 13, 14, 15 May.
        assert request.due_on == date(2025, 5, 15)
        event = request.events.get(action=Action.RECEIVE_DOCUMENTS)
        assert event.data == {"due_on_before": "2025-05-07", "due_on": "2025-05-15"}

    def test_extension_adds_five_working_days_once(self, alice, file_request, frozen_now, act):
        frozen_now(2025, 12, 1, 10, 0)
        request = act(file_request(alice, Kind.ACCESS), Action.TAKE_INTO_WORK)
        assert request.due_on == date(2025, 12, 15)

        request = act(request, Action.EXTEND, comment="Запрошены сведения из архива.")

        assert request.due_on == date(2025, 12, 22)
        assert request.extended_on == date(2025, 12, 1)
        assert request.extension_reason == "Запрошены сведения из архива."


class TestFilters:
    @pytest.fixture
    def requests(self, alice, bob, file_request):
        def due(request, day: date, status=SubjectRequest.Status.IN_WORK) -> SubjectRequest:
            SubjectRequest.objects.filter(pk=request.pk).update(due_on=day, status=status)
            return request

        return {
            "overdue": due(file_request(alice), date(2025, 10, 29)),
            "due_tomorrow": due(file_request(alice), date(2025, 10, 31)),
            "due_saturday": due(file_request(bob), date(2025, 11, 1)),  # a working Saturday
            "due_later": due(file_request(bob), date(2025, 11, 5)),
            "closed_late": due(
                file_request(bob), date(2025, 10, 1), status=SubjectRequest.Status.COMPLETED
            ),
        }

    def test_overdue_lists_open_requests_past_their_day(self, requests):
        overdue = SubjectRequest.objects.overdue(today=date(2025, 10, 30))

        assert list(overdue) == [requests["overdue"]]

    def test_due_within_two_working_days_counts_a_working_saturday(self, requests):
        soon = SubjectRequest.objects.due_within(2, today=date(2025, 10, 30))

        assert set(soon) == {requests["due_tomorrow"], requests["due_saturday"]}

    def test_open_and_for_subject(self, requests, alice):
        assert requests["closed_late"] not in SubjectRequest.objects.open()
        assert set(SubjectRequest.objects.for_subject(alice)) == {
            requests["overdue"],
            requests["due_tomorrow"],
        }


class TestConstraints:
    def test_only_a_blocking_request_has_a_reason(self, alice, file_request):
        with pytest.raises(IntegrityError), transaction.atomic():
            file_request(alice, Kind.ACCESS, reason=Reason.UNLAWFUL)

    def test_a_blocking_request_needs_its_reason(self, alice, file_request):
        with pytest.raises(IntegrityError), transaction.atomic():
            file_request(alice, Kind.BLOCKING, reason="")

    def test_a_representative_states_their_basis(self, alice, file_request):
        with pytest.raises(IntegrityError), transaction.atomic():
            file_request(
                alice,
                filed_by=SubjectRequest.FiledBy.REPRESENTATIVE,
                representative_name="Иванов Пётр Сергеевич",
            )

    def test_a_request_on_behalf_of_the_authority_names_its_letter(
        self, alice, file_request, pd_officer
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            file_request(alice, filed_by=SubjectRequest.FiledBy.AUTHORITY)

        request = file_request(
            alice,
            Kind.BLOCKING,
            reason=Reason.UNLAWFUL,
            filed_by=SubjectRequest.FiledBy.AUTHORITY,
            filed_by_user=pd_officer,
            authority_letter_number="08-12345",
            authority_letter_date=date(2026, 3, 2),
        )
        assert request.filed_by_user == pd_officer
        assert request.blocking_in_force


class TestJournalIsAppendOnly:
    def test_history_entries_cannot_be_changed_or_deleted(self, alice, file_request):
        event = file_request(alice).events.get()

        assert_refused(
            lambda: SubjectRequestEvent.objects.filter(pk=event.pk).update(comment="иначе")
        )
        assert_refused(event.delete)
        assert_refused(
            raw_sql(
                "UPDATE consents_subjectrequestevent SET to_status = 'completed' WHERE id = %s",
                event.pk,
            )
        )
        assert_refused(raw_sql("DELETE FROM consents_subjectrequestevent WHERE id = %s", event.pk))

        event.refresh_from_db()
        assert event.to_status == SubjectRequest.Status.RECEIVED

    def test_a_request_with_history_cannot_be_deleted(self, alice, file_request):
        request = file_request(alice)

        with pytest.raises(IntegrityError), transaction.atomic():
            SubjectRequest.objects.filter(pk=request.pk).delete()

    def test_destruction_acts_cannot_be_changed_or_deleted(
        self, alice, file_request, act, pd_officer
    ):
        request = act(file_request(alice, Kind.WITHDRAWAL), Action.TAKE_INTO_WORK)
        act(request, Action.DESTROY, comment="Согласие отозвано.")
        destruction = DestructionAct.objects.get()

        assert_refused(lambda: DestructionAct.objects.update(reason="другое"))
        assert_refused(destruction.delete)
