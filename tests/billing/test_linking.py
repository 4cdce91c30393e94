"""Linking a лицевой счёт: the right factor links it, nothing else tells a stranger anything."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from billing.models import AccountLink, LinkAttempt, LinkDispute, PersonalAccount
from billing.services import account_number_digest
from lkk.moscow import moscow_time

pytestmark = pytest.mark.django_db

LINK_URL = reverse("billing:link")


def attempt(client, number="1000000001", factor="surname", value="Королёва", **extra):
    return client.post(LINK_URL, {"number": number, "factor": factor, "value": value}, **extra)


def page_without_csrf(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


@pytest.mark.parametrize(
    ("factor", "value"),
    [
        ("surname", "Королёва"),
        ("surname", "королева"),
        ("surname", "  КОРОЛЕВА "),
        ("meter", "011552146"),
        ("meter", "011 552-146"),
    ],
)
def test_consumer_links_an_account_with_either_factor_ignoring_case_spaces_and_yo(
    client, alice, account, factor, value
):
    client.force_login(alice)

    response = attempt(client, factor=factor, value=value)

    assert response.status_code == 302
    assert response["Location"] == reverse("billing:dashboard")
    link = AccountLink.objects.get()
    assert (link.user, link.account, link.factor) == (alice, account, factor)
    dashboard = client.get(response["Location"])
    assert "Лицевой счёт № 1000000001 привязан" in dashboard.content.decode()


def test_a_surname_spelt_with_yo_matches_billing_spelling_without_it(client, alice, make_account):
    make_account(holder_name="Семенов В. П.")
    client.force_login(alice)

    attempt(client, value="Семёнов")

    assert AccountLink.objects.filter(user=alice).exists()


def test_the_number_may_be_typed_with_spaces_and_dashes(client, alice, account):
    client.force_login(alice)

    attempt(client, number="1000 000-001")

    assert AccountLink.objects.filter(user=alice, account=account).exists()


def test_a_consumer_may_link_several_accounts(client, alice, account, make_account):
    make_account("1000000002", holder_name="Королёва Н. С.")
    client.force_login(alice)

    attempt(client, number="1000000001")
    attempt(client, number="1000000002")

    assert AccountLink.objects.active().filter(user=alice).count() == 2


def test_a_malformed_number_is_a_field_error_and_not_an_attempt(client, alice, account):
    client.force_login(alice)

    response = attempt(client, number="12345")

    form = response.context["form"]
    assert form.errors["number"] == ["Номер лицевого счёта состоит из 10 цифр."]
    assert 'aria-invalid="true"' in response.content.decode()
    assert not LinkAttempt.objects.exists()


def test_unknown_number_wrong_factor_and_closed_account_get_the_same_answer(
    client, django_user_model, make_account
):
    """What a stranger sees must not depend on whether the number exists."""
    pages = []
    for registry_state in ("no account", "other surname", "closed"):
        PersonalAccount.objects.all().delete()
        if registry_state == "other surname":
            make_account(holder_name="Иванов П. И.")
        elif registry_state == "closed":
            make_account(status=PersonalAccount.Status.CLOSED)
        stranger = django_user_model.objects.create_user(f"{len(pages)}@example.ru", "x")
        client.force_login(stranger)
        response = attempt(client, value="Королёва")
        assert response.status_code == 200
        pages.append(page_without_csrf(response))

    assert "Не удалось подтвердить лицевой счёт" in pages[0]
    assert pages[0] == pages[1] == pages[2]
    assert not AccountLink.objects.exists()


def test_every_attempt_is_recorded_without_the_factor_or_the_number_in_clear(
    client, alice, account
):
    client.force_login(alice)

    attempt(client, number="1000000009", value="Королёва")
    attempt(client, value="Иванов")
    attempt(client, value="Королёва")

    attempts = list(LinkAttempt.objects.order_by("attempted_at", "pk"))
    assert [a.outcome for a in attempts] == [
        LinkAttempt.Outcome.UNKNOWN_NUMBER,
        LinkAttempt.Outcome.FACTOR_MISMATCH,
        LinkAttempt.Outcome.LINKED,
    ]
    assert [a.account for a in attempts] == [None, account, account]
    assert {a.user for a in attempts} == {alice}
    assert {a.ip_address for a in attempts} == {"127.0.0.1"}
    assert attempts[0].number_masked == "****0009"
    assert attempts[0].number_digest == account_number_digest("1000000009")
    stored = " ".join(str(value) for a in attempts for value in vars(a).values())
    assert "1000000009" not in stored and "1000000001" not in stored
    assert "Иванов" not in stored and "Королёва" not in stored


def _fail(client, times: int, **extra) -> None:
    for _ in range(times):
        attempt(client, value="Иванов", **extra)


def test_after_five_failures_a_consumer_is_told_when_to_try_again_in_moscow_time(
    client, alice, account
):
    client.force_login(alice)
    _fail(client, 5)
    fifth_last = LinkAttempt.objects.order_by("attempted_at").first().attempted_at

    response = attempt(client, value="Королёва")  # the right answer, too late

    retry_at = (fifth_last + timedelta(hours=1)).astimezone(ZoneInfo("Europe/Moscow"))
    page = response.content.decode()
    assert "Слишком много неудачных попыток" in page
    assert f"Попробуйте снова после\n    {moscow_time(retry_at)}" in page
    assert not AccountLink.objects.exists()
    assert LinkAttempt.objects.order_by("-attempted_at").first().outcome == "rate_limited"


def test_the_limit_is_shown_before_the_consumer_even_tries(client, alice, account):
    client.force_login(alice)
    _fail(client, 5)

    response = client.get(LINK_URL)

    assert "Слишком много неудачных попыток" in response.content.decode()


def test_failures_older_than_the_window_no_longer_count(client, alice, account):
    client.force_login(alice)
    _fail(client, 5)
    LinkAttempt.objects.update(attempted_at=timezone.now() - timedelta(minutes=61))

    attempt(client, value="Королёва")

    assert AccountLink.objects.filter(user=alice).exists()


def test_failures_from_one_ip_address_are_limited_across_consumers(
    client, settings, alice, bob, account, django_user_model
):
    settings.BILLING_LINK_FAILURES_PER_IP = 3
    client.force_login(bob)
    _fail(client, 3, REMOTE_ADDR="203.0.113.7")

    client.force_login(alice)
    blocked = attempt(client, value="Королёва", REMOTE_ADDR="203.0.113.7")
    elsewhere = attempt(client, value="Королёва", REMOTE_ADDR="198.51.100.1")

    assert "Слишком много неудачных попыток" in blocked.content.decode()
    assert elsewhere.status_code == 302
    assert AccountLink.objects.get().user == alice


def test_an_account_linked_by_someone_else_is_named_only_after_the_factor_matched(
    client, alice, bob, account
):
    AccountLink.objects.create(user=bob, account=account, factor="meter")
    client.force_login(alice)

    wrong = attempt(client, value="Иванов")
    right = attempt(client, value="Королёва")

    assert "уже привязан" not in wrong.content.decode()
    assert "Не удалось подтвердить лицевой счёт" in wrong.content.decode()
    page = right.content.decode()
    assert "Этот лицевой счёт уже привязан" in page
    assert "Сообщить в поддержку" in page
    assert AccountLink.objects.get().user == bob


def test_linking_ones_own_account_again_changes_nothing(client, alice, account):
    client.force_login(alice)
    attempt(client)

    response = attempt(client)

    assert response.status_code == 302
    assert AccountLink.objects.count() == 1


def dispute_token(client, alice, bob, account) -> str:
    AccountLink.objects.create(user=bob, account=account, factor="meter")
    client.force_login(alice)
    response = attempt(client)
    return response.context["form"]["token"].value()


def test_the_support_message_reaches_staff_with_the_number_masked(
    client, alice, bob, account, django_capture_on_commit_callbacks
):
    token = dispute_token(client, alice, bob, account)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("billing:dispute"), {"token": token, "comment": "Счёт мой, квитанция есть."}
        )
        client.post(reverse("billing:dispute"), {"token": token})  # pressed twice

    assert response.status_code == 302
    dispute = LinkDispute.objects.get()
    assert (dispute.user, dispute.account, dispute.comment) == (
        alice,
        account,
        "Счёт мой, квитанция есть.",
    )
    assert len(mail.outbox) == 1
    letter = mail.outbox[0]
    assert letter.to == ["info@ivsbyt.ru"]
    assert "****0001" in letter.subject and "****0001" in letter.body
    assert "1000000001" not in letter.subject + letter.body
    assert f"/admin/billing/linkdispute/{dispute.pk}/change/" in letter.body


def test_a_support_message_token_is_good_only_for_the_consumer_it_was_given_to(
    client, alice, bob, account, django_user_model
):
    token = dispute_token(client, alice, bob, account)
    client.force_login(django_user_model.objects.create_user("eve@example.ru", "x"))

    response = client.post(reverse("billing:dispute"), {"token": token})

    assert response.status_code == 302
    assert response["Location"] == LINK_URL
    assert not LinkDispute.objects.exists()


def test_linking_needs_a_signed_in_consumer(client, account):
    response = attempt(client)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert not LinkAttempt.objects.exists()


def test_support_messages_about_links_are_limited_per_day(
    client, alice, bob, make_account, settings, django_capture_on_commit_callbacks
):
    settings.BILLING_LINK_DISPUTES_PER_DAY = 2
    tokens = []
    for number in ("1000000001", "1000000002", "1000000003"):
        AccountLink.objects.create(user=bob, account=make_account(number), factor="meter")
        client.force_login(alice)
        tokens.append(attempt(client, number=number).context["form"]["token"].value())
    with django_capture_on_commit_callbacks(execute=True):
        responses = [
            client.post(reverse("billing:dispute"), {"token": token}, follow=True)
            for token in tokens
        ]

    assert LinkDispute.objects.filter(user=alice).count() == 2
    assert "Слишком много отправок подряд" in responses[-1].content.decode()
    assert len(mail.outbox) == 2
