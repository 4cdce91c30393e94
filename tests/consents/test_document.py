import pytest
from django.conf import settings
from django.urls import reverse

from consents import services
from consents.models import ConsentPurpose, ConsentText

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code", ["account", "mailings"])
def test_the_consent_is_a_public_document_stating_article_9_part_4(client, code):
    text = ConsentText.objects.current_for_code(code)

    response = client.get(reverse("consents:document", args=[code]))

    assert response.status_code == 200
    page = response.content.decode()
    assert f'<h1 id="consent-document-title">{text.title}</h1>' in page
    assert f"Редакция № {text.version} от" in page
    for item in [
        f"Оператор персональных данных: {settings.OPERATOR['name']}",
        f"адрес: {settings.OPERATOR['address']}",
        "Цель обработки",
        "Перечень персональных данных",
        "Действия с персональными данными",
        "Срок действия согласия",
        "Порядок отзыва",
    ]:
        assert item in page, item


def test_the_account_and_mailings_consents_are_separate_documents(client):
    account = client.get(reverse("consents:document", args=["account"])).content.decode()
    mailings = client.get(reverse("consents:document", args=["mailings"])).content.decode()

    assert "рекламных предложений" not in account
    assert "регистрации и работы личного кабинета" not in mailings


def test_an_older_version_stays_readable_and_is_marked_as_not_in_force(client, admin_user):
    purpose = ConsentPurpose.objects.get(code="mailings")
    first = ConsentText.objects.current_for_code("mailings")
    services.consent_text_publish(
        purpose=purpose, title=first.title, body="Совсем новая редакция.", published_by=admin_user
    )

    old = client.get(reverse("consents:document_version", args=["mailings", 1]))
    current = client.get(reverse("consents:document", args=["mailings"]))

    assert first.body.splitlines()[0] in old.content.decode()
    assert "Это прежняя редакция, она больше не действует" in old.content.decode()
    assert "Совсем новая редакция." in current.content.decode()
    assert "Это прежняя редакция" not in current.content.decode()


@pytest.mark.parametrize(
    ("name", "args"),
    [("consents:document", ["no-such-purpose"]), ("consents:document_version", ["account", 99])],
)
def test_an_unknown_purpose_or_version_is_404(client, name, args):
    assert client.get(reverse(name, args=args)).status_code == 404


def test_the_document_costs_two_queries_for_an_anonymous_reader(client, django_assert_num_queries):
    with django_assert_num_queries(2):
        assert client.get(reverse("consents:document", args=["account"])).status_code == 200
