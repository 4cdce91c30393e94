"""What a consumer does in a real browser: accept a renewed policy, change the mailings consent."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from consents.models import ConsentPurpose, ConsentRecord
from pdrequests.models import SubjectRequest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_a_consumer_accepts_a_policy_version_that_requires_renewed_consent(
    page: Page, live_server, alice, give, publish_policy, browser_login
):
    publish_policy("1.0", days_ago=30)
    give(alice, "account", source=ConsentRecord.Source.REGISTRATION)
    new = publish_policy("2.0", requires_renewed_consent=True)
    browser_login(alice)

    page.goto(live_server.url + reverse("consents:mine"))

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Новая редакция Политики обработки персональных данных"
    )
    expect(
        page.get_by_role("link", name="Что изменилось по сравнению с редакцией № 1.0")
    ).to_be_visible()
    page.get_by_role("button", name="Принять и продолжить").click()
    expect(
        page.locator(".errorlist").get_by_text(
            "Чтобы продолжить работу в личном кабинете, отметьте согласие."
        )
    ).to_be_visible()

    page.get_by_label("Я ознакомился(-ась) с новой редакцией").check()
    page.get_by_role("checkbox", name="Я даю согласие на обработку").check()
    page.get_by_role("button", name="Принять и продолжить").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Мои согласия")
    expect(page.get_by_role("status")).to_contain_text("Новая редакция политики принята")
    expect(page.get_by_role("cell", name="принятие новой редакции политики")).to_be_visible()
    record = ConsentRecord.objects.get(source=ConsentRecord.Source.POLICY_RENEWAL)
    assert (record.user, record.policy_version) == (alice, new)
    assert record.ip_address == "127.0.0.1"
    assert "Chrome" in record.user_agent


def test_a_consumer_withdraws_and_gives_again_the_mailings_consent(
    page: Page, live_server, alice, give, browser_login
):
    give(alice, "account", source=ConsentRecord.Source.REGISTRATION)
    give(alice, "mailings", source=ConsentRecord.Source.REGISTRATION)
    browser_login(alice)
    page.goto(live_server.url + reverse("consents:mine"))
    mailings = page.get_by_role("article", name="Получение новостей и рекламных предложений")
    expect(mailings.get_by_text("согласие дано")).to_be_visible()

    mailings.get_by_role("button", name="Отозвать согласие").click()

    expect(page.get_by_role("status")).to_contain_text("отозвано")
    expect(mailings.get_by_text("согласие отозвано")).to_be_visible()

    mailings.get_by_role("button", name="Дать согласие").click()

    expect(mailings.get_by_text("согласие дано")).to_be_visible()
    actions = list(
        ConsentRecord.objects.filter(user=alice, purpose__code="mailings")
        .order_by("created_at")
        .values_list("action", flat=True)
    )
    assert actions == ["given", "withdrawn", "given"]
    assert ConsentPurpose.objects.with_state_for(alice).get(code="mailings").is_given
    history = page.get_by_role("row").filter(has_text="Получение новостей")
    expect(history).to_have_count(3)


def test_a_consumer_withdraws_the_required_consent_only_after_confirming_it(
    page: Page, live_server, alice, give, browser_login
):
    give(alice, "account", source=ConsentRecord.Source.REGISTRATION)
    browser_login(alice)
    page.goto(live_server.url + reverse("consents:mine"))
    page.get_by_role("link", name="Отозвать и закрыть учётную запись").click()
    close = page.get_by_role("button", name="Отозвать согласие и закрыть учётную запись")

    close.click()

    confirm = page.get_by_role("checkbox", name="Я понимаю, что учётная запись будет закрыта")
    expect(confirm).to_have_attribute("aria-invalid", "true")
    expect(
        page.locator(".errorlist").get_by_text("Отметьте, что понимаете последствия")
    ).to_be_visible()
    assert ConsentPurpose.objects.with_state_for(alice).get(code="account").is_given

    confirm.check()
    close.click()

    expect(page.get_by_role("status")).to_contain_text("учётная запись закрыта")
    alice.refresh_from_db()
    assert not alice.is_active
    assert alice.subject_requests.get().kind == SubjectRequest.Kind.WITHDRAWAL
    page.goto(live_server.url + reverse("consents:mine"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Вход в личный кабинет")
