"""«Скачать мои данные»: everything held about the consumer, at once, to them alone."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from billing.models import AccountLink, LinkAttempt, PersonalAccount
from lkk import personal_data
from pdrequests.models import Action
from tests.conftest import BROWSER
from tests.pdrequests.conftest import READING_IP, SESSION_IP
from visits.models import Visit

pytestmark = pytest.mark.django_db

PAGE = reverse("pdrequests:data_export")
FILE = reverse("pdrequests:data_export_json")


@pytest.fixture
def add_history(give, file_request, act, other_apps, admin_user):
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
            request = act(file_request(user), Action.TAKE_INTO_WORK)
            act(request, Action.COMPLETE, answer=f"Ответ № {i}.")
            other_apps(user, account, specialist=admin_user, i=i)
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


def _category(data: dict, key: str) -> dict:
    [category] = [c for c in data["categories"] if c["key"] == key]
    return category


# Categories whose records say nothing to the person beyond their description: the admin's
# change log (what staff changed, no data), rate limits, sessions and the task table (ids only),
# and the registry, charges and payments files staff upload (billing's lines, tied to no web
# account).
DESCRIBED_ONLY = {
    "lkk.admin_log",
    "lkk.rate_limits",
    "lkk.sessions",
    "lkk.tasks",
    "billing.registry_uploads",
    "bills.import_rejections",
}


def test_every_declared_category_is_in_the_page_and_the_file(client, alices_history):
    client.force_login(alices_history)

    page = client.get(PAGE).content.decode()
    data = json.loads(client.get(FILE).content)

    declared = {category.key for category in personal_data.categories()}
    assert {c["key"] for c in data["categories"]} == declared
    assert set(re.findall(r'data-category="([^"]+)"', page)) == declared
    empty = {c["key"] for c in data["categories"] if not c["rows"]}
    assert empty == DESCRIBED_ONLY
    for category in personal_data.categories():
        assert category.title in page
        described = _category(data, category.key)
        for item in ("purpose", "legal_basis", "source", "retention", "system"):
            assert described[item] and described[item] in page.replace("&quot;", '"'), item


def test_the_export_states_what_the_law_lists(client, alices_history):
    client.force_login(alices_history)

    data = json.loads(client.get(FILE).content)
    page = client.get(PAGE).content.decode()

    assert "Трансграничная передача персональных данных не осуществляется" in page
    assert data["transborder_transfer"].startswith("Трансграничная передача")
    assert any("хостинг" in processor for processor in data["processors"])
    assert any("Роскомнадзор" in right for right in data["rights"])
    assert "из биллинговой системы" in _category(data, "billing.accounts")["source"]
    assert _category(data, "visits.page_views")["retention"] == "180 дн."
    assert data["generated_at"].endswith("+03:00")  # Moscow time


def test_the_file_holds_the_records_themselves(client, alice, add_history):
    add_history(alice)
    client.force_login(alice)

    response = client.get(FILE)

    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="moi-dannye-')
    data = json.loads(response.content)
    [profile] = _category(data, "accounts.profile")["rows"]
    assert profile["Адрес электронной почты"] == "alice@example.ru"
    assert (profile["Фамилия"], profile["Мобильный телефон"]) == ("Иванова", "+79161234567")
    [account] = _category(data, "billing.accounts")["rows"]
    assert account["Лицевой счёт"] == f"{alice.pk:03d}0000000"
    assert _category(data, "billing.link_attempts")["rows"][0]["IP-адрес"] == "198.51.100.23"
    [record] = _category(data, "consents.records")["rows"]
    assert (record["Действие"], record["IP-адрес"], record["Браузер"]) == (
        "согласие дано",
        "203.0.113.7",
        BROWSER,
    )
    [request] = _category(data, "consents.requests")["rows"]
    assert request["Ответ"] == "Ответ № 0."
    assert "обращение исполнено" in request["История"]
    [visits] = _category(data, "visits.page_views")["rows"]
    assert visits["Просмотров"] == 5
    assert visits["IP-адреса, с которых вы заходили"] == "198.51.100.24"


def test_the_file_holds_the_records_of_the_apps_around_the_account(client, alice, add_history):
    add_history(alice)
    client.force_login(alice)

    data = json.loads(client.get(FILE).content)

    [reading] = _category(data, "meters.readings")["rows"]
    assert (reading["Лицевой счёт"], reading["Счётчик"]) == (f"{alice.pk:03d}0000000", "38124570")
    assert (reading["Показания"], reading["IP-адрес"]) == ("круглосуточно: 12100.000", READING_IP)
    assert reading["Результат"] == "ещё не обработано биллингом"
    reminders = [row["Что"] for row in _category(data, "meters.reminders")["rows"]]
    assert reminders == ["не напоминать о передаче показаний", "напоминание за 01.2026 отправлено"]
    assert [row["Что"] for row in _category(data, "bills.charges")["rows"]] == [
        "начисление за 11.2026",
        "платёж (онлайн)",
    ]
    [choice] = _category(data, "bills.receipt_choices")["rows"]
    assert choice["Квитанция"].startswith("электронная")
    [letter] = _category(data, "bills.receipt_letters")["rows"]
    assert letter["Расчётный месяц"] == "11.2026"
    [request] = _category(data, "servicerequests.requests")["rows"]
    assert request["Вид"] == "Замена прибора учёта"
    assert request["Файлы"].startswith("Иванова-счётчик.jpg (JPEG, ")
    assert "Звоните +79161234567, Алиса." in request["История"]
    assert request["Ответ"] == "Алиса, счётчик заменён."
    steps = [row["Действие"] for row in _category(data, "cases.history")["rows"]]
    assert steps == ["подано", "добавлен файл", "комментарий"]
    sessions = _category(data, "accounts.signed_in_sessions")["rows"]
    assert SESSION_IP in {row["IP-адрес (без последней части)"] for row in sessions}
    factors = [row["Что"] for row in _category(data, "accounts.second_factor")["rows"]]
    assert factors == [
        "приложение-аутентификатор",
        "коды восстановления (осталось неиспользованных: 10)",
    ]
    assert TOTPDevice.objects.get(user=alice).key not in json.dumps(data)  # never the secret


def test_visits_are_told_in_words_not_addresses(client, alice, add_history):
    add_history(alice)
    Visit.objects.bulk_create(
        Visit(time=timezone.now(), user=alice, path=path, status=200, duration_ms=5)
        for path in ("/kabinet/scheta/<int:pk>/", "/kabinet/obrashcheniya/novoe/")
    )
    client.force_login(alice)

    page = client.get(PAGE).content.decode()
    rows = _category(json.loads(client.get(FILE).content), "visits.page_views")["rows"]

    sections = {row["Раздел"] for row in rows}
    assert {"лицевые счета", "обращения по персональным данным"} <= sections
    assert "/kabinet/" not in json.dumps(rows, ensure_ascii=False)
    assert "&lt;int:pk&gt;" not in page and "/kabinet/scheta/" not in page


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
    [profile] = _category(json.loads(file), "accounts.profile")["rows"]
    assert profile["Адрес электронной почты"] == "bob@example.ru"


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
