"""Names are single-line words of letters: no second line, link, digits or markup, in every form
that takes one and on the model itself. Letters never let a person's text pass for the
operator's words."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import User
from lkk.letters import greeting_name
from lkk.validators import validate_person_name

pytestmark = pytest.mark.django_db

INJECTED = [
    pytest.param("Мария\nВаш кабинет заблокирован", id="second line"),
    pytest.param("Мария\r\nBcc: all@example.ru", id="header-like line"),
    pytest.param("Мария\u2028Позвоните нам", id="unicode line separator"),
    pytest.param("Мария https://evil.example/pay", id="url"),
    pytest.param("Мария evil-pay.ru", id="domain"),
    pytest.param("Мария <b>Срочно</b>", id="markup"),
    pytest.param("Позвоните 8 800 555-35-35", id="phone number"),
    pytest.param("Мария\u202eаис", id="bidi override"),
]
GOOD = ["Салтыков-Щедрин", "д'Артаньян", "Мария Луиза", "O'Connor", "Иванов И. И.", "Ёлкина"]


@pytest.mark.parametrize("name", INJECTED)
def test_a_name_with_a_line_a_link_digits_or_markup_is_refused(name):
    with pytest.raises(ValidationError):
        validate_person_name(name)


@pytest.mark.parametrize("name", GOOD)
def test_real_names_are_accepted(name):
    validate_person_name(name)


@pytest.mark.parametrize("name", INJECTED)
def test_registration_refuses_it_next_to_the_field_in_russian(client, registration_data, name):
    response = client.post(reverse("accounts:register"), registration_data(first_name=name))

    form = response.context["form"]
    assert "first_name" in form.errors
    assert any(
        word in form.errors["first_name"][0] for word in ("строкой", "Ссылки", "только буквы")
    )
    assert not User.objects.exists()


def test_a_representatives_name_is_checked_too(client, registration_data):
    response = client.post(
        reverse("accounts:register"),
        registration_data(
            is_representative="on",
            representative_name="Иванов\nhttps://evil.example",
            represented_name="Иванов Иван",
            basis_document_type="свидетельство о рождении",
            basis_document_number="II-МЮ 123456",
        ),
    )

    assert "representative_name" in response.context["form"].errors


def test_the_model_refuses_it_on_every_other_path(alice):
    """The admin's forms and the PD-correction service validate the model."""
    alice.last_name = "Иванова\nОператор: переведите оплату"

    with pytest.raises(ValidationError) as refused:
        alice.full_clean()

    assert "last_name" in refused.value.message_dict


def test_a_pd_correction_to_an_injected_name_is_refused(client, alice):
    client.force_login(alice)

    response = client.post(
        reverse("pdrequests:request_new"),
        {"kind": "correction", "correct_last_name": "Петрова www.evil.example"},
    )

    assert "correct_last_name" in response.context["form"].errors


def test_the_feedback_form_refuses_an_injected_guest_name_and_a_two_line_subject(client):
    response = client.post(
        reverse("feedback:form"),
        {
            "kind": "question",
            "subject": "Счёт\nОтвет: ваш счёт заблокирован",
            "text": "Вопрос.",
            "guest_name": "Пётр https://evil.example",
            "guest_email": "guest@example.ru",
            "consent": "on",
            "website": "",
        },
    )

    errors = response.context["form"].errors
    assert {"guest_name", "subject"} <= set(errors)


def test_a_letter_greets_on_one_line_whatever_was_stored(alice):
    User.objects.filter(pk=alice.pk).update(first_name="Алиса\n\nВаш кабинет заблокирован")
    alice.refresh_from_db()

    assert greeting_name(alice) == "Алиса Ваш кабинет заблокирован Петровна"
