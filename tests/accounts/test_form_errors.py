"""The error summary every form shows, and what the form keeps after an error."""

import pytest
from django.urls import reverse

from tests.accounts.conftest import NEW_EMAIL
from tests.conftest import BROWSER, PASSWORD

pytestmark = pytest.mark.django_db


def test_the_summary_names_each_field_with_an_error_and_links_to_it(client, registration_data):
    response = client.post(
        reverse("accounts:register"),
        registration_data(first_name="", password2=PASSWORD + "x"),
        headers={"user-agent": BROWSER},
    )

    html = response.content.decode()
    summary = html[
        html.index('class="error-summary"') : html.index(
            "</div>", html.index('class="error-summary"')
        )
    ]
    assert '<a href="#id_first_name">Имя</a>: Обязательное поле.' in summary
    assert '<a href="#id_password2">' in summary


def test_fields_keep_their_values_after_an_error_but_passwords_are_cleared_with_a_note(
    client, registration_data
):
    response = client.post(
        reverse("accounts:register"),
        registration_data(password2=PASSWORD + "x"),
        headers={"user-agent": BROWSER},
    )

    html = response.content.decode()
    assert f'value="{NEW_EMAIL}"' in html
    assert 'value="Кузнецова"' in html
    assert PASSWORD not in html
    assert html.count("Поле очищено: введите пароль ещё раз.") == 2
    assert 'aria-invalid="true"' in html


def test_a_form_without_errors_has_no_summary_and_no_note(client):
    html = client.get(reverse("accounts:register")).content.decode()

    assert "error-summary" not in html
    assert "Поле очищено" not in html
