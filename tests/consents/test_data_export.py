"""«Скачать мои данные»: everything held about the consumer, at once, to them alone."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from billing.models import AccountLink, LinkAttempt, PersonalAccount
from bills.models import ElectronicReceiptChoice
from consents.models import Action, ConsentPurpose
from meters.models import Meter, Reading
from tests.conftest import BROWSER
from visits.models import Visit

pytestmark = pytest.mark.django_db

PAGE = reverse("consents:data_export")
FILE = reverse("consents:data_export_json")


@pytest.fixture
def add_history(give, file_request, act):
    """Give `user` `n` of each kind of record the export covers."""

    def add(user, n: int = 1) -> None:
        for i in range(n):
            give(user, "mailings" if i % 2 else "account")
            account = PersonalAccount.objects.create(
                number=f"{user.pk:03d}{i:07d}",
                address=f"ул. Толмачёва, д. {i}",
                holder_name="И. А.",
            )
            AccountLink.objects.create(user=user, account=account, factor="surname")
            LinkAttempt.objects.create(
                user=user,
                ip_address="198.51.100.23",
                number_masked="100*****01",
                number_digest="0" * 64,
                factor="meter",
                outcome=LinkAttempt.Outcome.FACTOR_MISMATCH,
            )
            Reading.objects.create(
                number=f"ПП-{user.pk}-{i}",
                meter=Meter.objects.create(account=account, serial_number=f"S{i}"),
                period="2026-12-01",
                value_t1=12100,
                source=Reading.Source.WEB,
                user=user,
                ip_address="198.51.100.26",
            )
            ElectronicReceiptChoice.objects.create(account=account, user=user, electronic=True)
            request = act(file_request(user), Action.TAKE_INTO_WORK)
            act(request, Action.COMPLETE, answer=f"Ответ № {i}.")
        Visit.objects.bulk_create(
            Visit(
                time=timezone.now(),
                ip="198.51.100.24",
                user=user,
                path=f"/p{i}/",
                status=200,
                duration_ms=5,
            )
            for i in range(n * 5)
        )

    return add


def test_the_file_holds_everything_about_the_consumer(client, alice, add_history):
    add_history(alice)
    client.force_login(alice)

    response = client.get(FILE)

    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="moi-dannye-')
    data = json.loads(response.content)
    assert [(r["account"], r["values"], r["ip_address"]) for r in data["meter_readings"]] == [
        (f"{alice.pk:03d}0000000", ["12100.000"], "198.51.100.26")
    ]
    assert [(c["account"], c["electronic_receipt"]) for c in data["receipt_choices"]] == [
        (f"{alice.pk:03d}0000000", True)
    ]
    assert data["profile"] | {"date_joined": None, "last_login": None} == {
        "email": "alice@example.ru",
        "last_name": "Иванова",
        "first_name": "Алиса",
        "patronymic": "Петровна",
        "phone": "+79161234567",
        "date_joined": None,
        "last_login": None,
    }
    [account] = data["accounts"]
    assert account["number"] == f"{alice.pk:03d}0000000"
    assert data["link_attempts"][0]["ip_address"] == "198.51.100.23"
    [history] = data["consents"]["history"]
    assert (history["action"], history["ip_address"], history["user_agent"]) == (
        "согласие дано",
        "203.0.113.7",
        BROWSER,
    )
    names = dict(ConsentPurpose.objects.values_list("code", "name"))
    assert {c["purpose"]: c["state"] for c in data["consents"]["current"]} == {
        names["account"]: "согласие дано",
        names["mailings"]: "согласие не давалось",
    }
    [request] = data["requests"]
    assert request["answer"] == "Ответ № 0."
    assert [event["event"] for event in request["history"]] == [
        "обращение подано",
        "взято в работу",
        "обращение исполнено",
    ]
    assert data["visits"]["total"] == 5
    assert {view["ip"] for view in data["visits"]["views"]} == {"198.51.100.24"}
    assert data["generated_at"].endswith("+03:00")  # Moscow time


def test_the_page_shows_the_same_readably(client, alice, add_history):
    add_history(alice)
    client.force_login(alice)

    content = client.get(PAGE).content.decode()

    for shown in (
        "alice@example.ru",
        "Иванова",
        "+79161234567",
        "ул. Толмачёва, д. 0",
        "203.0.113.7",
        "Ответ № 0.",
        "обращение исполнено",
        "/p4/",
    ):
        assert shown in content
    assert FILE in content


def test_each_consumer_gets_only_their_own_data(client, alice, bob, add_history):
    add_history(alice)
    client.force_login(bob)

    page, file = client.get(PAGE).content.decode(), client.get(FILE).content.decode()

    for content in (page, file):
        assert "alice@example.ru" not in content
        assert "Ответ № 0." not in content
        assert "198.51.100" not in content
    assert json.loads(file)["profile"]["email"] == "bob@example.ru"


@pytest.mark.parametrize("url", [PAGE, FILE])
def test_a_visitor_is_sent_to_sign_in(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("url", [PAGE, FILE])
def test_queries_do_not_grow_with_the_data(
    client, alice, bob, add_history, url, django_assert_num_queries
):
    add_history(alice, 1)
    add_history(bob, 12)
    client.force_login(alice)
    with CaptureQueriesContext(connection) as little_data:
        client.get(url)
    client.force_login(bob)

    with django_assert_num_queries(len(little_data)):
        assert client.get(url).status_code == 200
