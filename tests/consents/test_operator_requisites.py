"""The operator's requisites are settings; a published consent text shows those in force when
it was published, and a change of requisites is published as a new version."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from consents.checks import consent_texts_requisites_check
from consents.models import ConsentPurpose, ConsentText
from consents.services import consent_texts_outdated

pytestmark = pytest.mark.django_db

REQUISITES = {
    "name": "АО «Ивантеевская Энергосбытовая Компания»",
    "short_name": "АО «ИЭК»",
    "address": "141280, Московская область, г. Ивантеевка, ул. Толмачёва, д. 5",
    "inn": "5016000000",
    "ogrn": "1025002000000",
    "phone": "+7 496 000-00-00",
    "email": "info@ivsbyt.ru",
    "dpo": "Петрова Анна Сергеевна, dpo@ivsbyt.ru",
}


@pytest.fixture
def operator(settings):
    settings.OPERATOR = dict(REQUISITES)
    call_command("consent_texts_republish", stdout=StringIO())
    return settings.OPERATOR


def test_a_consent_text_shows_the_requisites_it_was_published_with(client, operator):
    page = client.get(reverse("consents:document", args=[ConsentPurpose.ACCOUNT])).content.decode()

    for value in ("ИНН", "5016000000", "1025002000000", "Петрова Анна Сергеевна, dpo@ivsbyt.ru"):
        assert value in page
    assert "Реквизиты на дату публикации этой редакции" in page


def test_a_change_of_requisites_makes_new_versions_and_keeps_the_old_ones(
    client, operator, settings
):
    account = ConsentText.objects.filter(purpose__code=ConsentPurpose.ACCOUNT).latest("version")
    settings.OPERATOR = {**REQUISITES, "address": "141281, г. Ивантеевка, ул. Новая, д. 1"}
    assert {t.purpose.code for t in consent_texts_outdated()} == {"account", "mailings"}
    assert [w.id for w in consent_texts_requisites_check()] == ["consents.W001"] * 2

    call_command("consent_texts_republish", stdout=StringIO())

    new = ConsentText.objects.filter(purpose__code=ConsentPurpose.ACCOUNT).latest("version")
    assert new.version == account.version + 1
    assert new.operator["address"] == "141281, г. Ивантеевка, ул. Новая, д. 1"
    account.refresh_from_db()
    assert account.operator["address"] == REQUISITES["address"]  # what people consented to
    old_page = client.get(
        reverse("consents:document_version", args=[ConsentPurpose.ACCOUNT, account.version])
    ).content.decode()
    assert REQUISITES["address"] in old_page
    assert consent_texts_outdated() == []
    assert consent_texts_requisites_check() == []


def test_republishing_with_nothing_changed_publishes_nothing(operator):
    out = StringIO()
    count = ConsentText.objects.count()

    call_command("consent_texts_republish", stdout=out)

    assert ConsentText.objects.count() == count
    assert "уже называют действующие реквизиты" in out.getvalue()


def test_the_first_texts_carry_the_requisites_they_were_written_with():
    first = ConsentText.objects.get(purpose__code=ConsentPurpose.ACCOUNT, version=1)

    assert first.operator["name"] in first.body
    assert first.operator["address"] in first.body
