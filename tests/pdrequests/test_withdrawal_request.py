"""Withdrawing the required consent on «Мои согласия» files the request staff must follow up."""

import datetime

import pytest
from django.urls import reverse

from consents.models import ConsentPurpose, ConsentRecord
from pdrequests.models import SubjectRequest

pytestmark = pytest.mark.django_db


def _state(user) -> dict[str, str | None]:
    return {p.code: p.current_action for p in ConsentPurpose.objects.with_state_for(user)}


def test_withdrawing_the_required_consent_files_a_withdrawal_request_due_in_thirty_days(
    alice, give, frozen_now, withdraw
):
    give(alice)
    frozen_now(2025, 5, 26, 12, 0)

    withdraw(alice)

    request = SubjectRequest.objects.get()
    assert (request.kind, request.subject, request.filed_by_user) == (
        SubjectRequest.Kind.WITHDRAWAL,
        alice,
        alice,
    )
    assert request.status == SubjectRequest.Status.RECEIVED
    assert request.due_on == datetime.date(2025, 6, 25)
    assert "Отзыв согласия" in request.details


def test_it_also_withdraws_the_mailings_consent(alice, give, withdraw):
    give(alice)
    give(alice, "mailings")

    withdraw(alice)

    assert _state(alice) == {"account": "withdrawn", "mailings": "withdrawn"}
    mailings = ConsentRecord.objects.filter(user=alice, purpose__code="mailings").first()
    assert (mailings.action, mailings.ip_address) == ("withdrawn", "203.0.113.7")


def test_a_mailings_consent_never_given_stays_never_given(alice, give, withdraw):
    give(alice)

    withdraw(alice)

    assert _state(alice) == {"account": "withdrawn", "mailings": None}


def test_withdrawing_only_the_mailings_consent_files_nothing(alice, give, withdraw):
    give(alice)
    give(alice, "mailings")

    withdraw(alice, "mailings")

    assert not SubjectRequest.objects.exists()
    assert alice.is_active


def test_staff_recording_a_paper_withdrawal_are_the_ones_who_filed(
    alice, give, pd_officer, withdraw
):
    give(alice)

    withdraw(alice, source=ConsentRecord.Source.STAFF_PAPER, acted_by=pd_officer)
    withdraw(alice, source=ConsentRecord.Source.STAFF_PAPER, acted_by=pd_officer)

    request = SubjectRequest.objects.get()  # a second recording files no second request
    assert request.filed_by_user == pd_officer


def test_the_page_flow_files_the_request_and_tells_the_consumer(
    client, alice, give, mailoutbox, django_capture_on_commit_callbacks
):
    give(alice)
    client.force_login(alice)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("consents:withdraw", args=["account"]), {"confirm": "on"})

    request = SubjectRequest.objects.get()
    [letter] = mailoutbox
    assert letter.to == ["alice@example.ru"]
    assert request.number in letter.body
