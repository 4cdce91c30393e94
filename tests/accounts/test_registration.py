import pytest
from django.db import DatabaseError
from django.urls import reverse
from pytest_django.asserts import assertTemplateUsed

from accounts import services
from accounts.models import User
from consents.models import ConsentRecord
from tests.accounts.conftest import NEW_EMAIL, link_in
from tests.conftest import BROWSER, PASSWORD

pytestmark = pytest.mark.django_db

REGISTER = reverse("accounts:register")


def register(client, data: dict):
    return client.post(REGISTER, data, headers={"user-agent": BROWSER})


def test_registration_page_offers_both_consents_unticked_with_links_to_their_documents(client):
    response = client.get(REGISTER)

    assert response.status_code == 200
    html = response.content.decode()
    for name in ("consent_account", "consent_mailings", "is_representative"):
        checkbox = html[html.index(f'name="{name}"') - 200 : html.index(f'name="{name}"') + 200]
        assert "checked" not in checkbox
    assert reverse("consents:document", args=["account"]) in html
    assert reverse("consents:document", args=["mailings"]) in html
    assert reverse("privacy:current") in html


def test_registration_creates_an_inactive_account_with_its_consents(client, registration_data):
    response = register(client, registration_data(consent_mailings="on"))

    assert response.status_code == 200
    assertTemplateUsed(response, "accounts/check_email.html")
    user = User.objects.get(email=NEW_EMAIL)
    assert (user.last_name, user.first_name, user.patronymic) == ("Кузнецова", "Мария", "Ивановна")
    assert user.phone == "+79165554433"
    assert user.check_password(PASSWORD)
    assert not user.is_active
    assert user.awaiting_email_confirmation
    records = ConsentRecord.objects.filter(user=user).select_related("purpose", "text")
    assert sorted(record.purpose.code for record in records) == ["account", "mailings"]
    for record in records:
        assert record.action == ConsentRecord.Action.GIVEN
        assert record.source == ConsentRecord.Source.REGISTRATION
        assert record.ip_address == "127.0.0.1"
        assert record.user_agent == BROWSER
        assert record.text.purpose == record.purpose
        assert not record.by_representative


def test_mailings_consent_is_recorded_only_when_ticked(client, registration_data):
    register(client, registration_data())

    user = User.objects.get(email=NEW_EMAIL)
    assert [r.purpose.code for r in ConsentRecord.objects.filter(user=user)] == ["account"]


def test_registration_without_the_personal_data_consent_is_refused_next_to_the_checkbox(
    client, registration_data
):
    data = registration_data()
    del data["consent_account"]

    response = register(client, data)

    assert response.status_code == 200
    assert not User.objects.filter(email=NEW_EMAIL).exists()
    assert response.context["form"].has_error("consent_account", "required")
    html = response.content.decode()
    assert 'id="id_consent_account_error"' in html
    assert 'aria-invalid="true"' in html
    assert "Без согласия на обработку персональных данных кабинет открыть нельзя" in html


def test_representative_statement_is_recorded_with_every_consent(client, registration_data):
    register(
        client,
        registration_data(
            consent_mailings="on",
            is_representative="on",
            representative_name="Кузнецов Иван Петрович",
            represented_name="Кузнецова Мария Ивановна",
            basis_document_type="Свидетельство о рождении",
            basis_document_number="II-МЮ 123456",
        ),
    )

    records = ConsentRecord.objects.filter(user__email=NEW_EMAIL)
    assert records.count() == 2
    for record in records:
        assert record.representative_name == "Кузнецов Иван Петрович"
        assert record.represented_name == "Кузнецова Мария Ивановна"
        assert record.basis_document_type == "Свидетельство о рождении"
        assert record.basis_document_number == "II-МЮ 123456"


def test_representative_fields_are_required_only_once_the_box_is_ticked(client, registration_data):
    response = register(client, registration_data(is_representative="on"))

    form = response.context["form"]
    for name in form.REPRESENTATIVE_FIELDS:
        assert form.has_error(name), name
    assert not User.objects.filter(email=NEW_EMAIL).exists()
    assert '<details class="account-representative" open>' in response.content.decode()


def test_representative_fields_are_ignored_when_the_box_is_not_ticked(client, registration_data):
    register(client, registration_data(representative_name="Кто-то"))

    record = ConsentRecord.objects.get(user__email=NEW_EMAIL)
    assert record.representative_name == ""


def test_passwords_are_checked_by_djangos_validators_in_russian(client, registration_data):
    response = register(client, registration_data(password1="12345", password2="12345"))

    errors = response.context["form"].errors["password2"]
    assert any("слишком короткий" in error for error in errors)
    assert any("только из цифр" in error for error in errors)
    assert not User.objects.filter(email=NEW_EMAIL).exists()


def test_different_passwords_are_refused(client, registration_data):
    response = register(client, registration_data(password2=PASSWORD + "x"))

    assert response.context["form"].has_error("password2", "password_mismatch")


def test_password_like_the_persons_name_is_refused(client, registration_data):
    response = register(
        client,
        registration_data(password1="Kuznetsova", password2="Kuznetsova", last_name="Kuznetsova"),
    )

    assert response.context["form"].has_error("password2", "password_too_similar")


def test_registration_is_atomic_a_failed_consent_leaves_no_account(
    client, registration_data, monkeypatch, django_capture_on_commit_callbacks
):
    real_consent_give = services.consent_give

    def give_then_fail_on_mailings(**kwargs):
        if kwargs["purpose_code"] == "mailings":
            raise DatabaseError("consent storage failed")
        return real_consent_give(**kwargs)

    monkeypatch.setattr(services, "consent_give", give_then_fail_on_mailings)

    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(DatabaseError):
        register(client, registration_data(consent_mailings="on"))

    assert not User.objects.filter(email=NEW_EMAIL).exists()
    assert not ConsentRecord.objects.exists()
    assert callbacks == []  # and no letter was queued


def test_the_letter_is_sent_only_after_commit(
    client, registration_data, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        register(client, registration_data())
        assert mailoutbox == []

    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mailoutbox) == 1
    letter = mailoutbox[0]
    assert letter.to == [NEW_EMAIL]
    assert "Подтвердите адрес электронной почты" in letter.subject
    # Whoever registered has not proved the address is theirs: their words are not in it.
    assert letter.body.startswith("Здравствуйте!")
    assert "Мария" not in letter.body
    assert link_in(letter).startswith("/podtverzhdenie-pochty/")
    html, mimetype = letter.alternatives[0]
    assert mimetype == "text/html"
    assert link_in(letter) in html


def test_a_logged_in_consumer_is_sent_home_from_registration(client, alice):
    client.force_login(alice)

    response = client.get(REGISTER)

    assert response.status_code == 302


def test_a_landline_is_refused_next_to_the_phone_field(client, registration_data):
    response = register(client, registration_data(phone="+7 495 123-45-67"))

    assert response.context["form"].has_error("phone", "not_mobile")
    html = response.content.decode()
    assert 'id="id_phone_error"' in html
    assert "Это не мобильный номер" in html
    assert not User.objects.filter(email=NEW_EMAIL).exists()
