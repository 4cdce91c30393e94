"""The pieces every letter is made of: an absolute link, the greeting, the rendered letter."""

import pytest
from django.urls import reverse

from lkk.letters import greeting_name, letter_render, site_link


def test_a_link_in_a_letter_leads_to_the_site_address(settings):
    settings.SITE_URL = "https://lk.example.ru"

    assert site_link("feedback:detail", 7) == "https://lk.example.ru/kabinet/obratnaya-svyaz/7/"
    assert site_link("accounts:verify", token="abc") == "https://lk.example.ru" + reverse(
        "accounts:verify", kwargs={"token": "abc"}
    )


@pytest.mark.django_db
def test_a_letter_greets_by_first_name_and_patronymic_only(alice, bob):
    assert greeting_name(alice) == "Алиса Петровна"
    assert greeting_name(bob) == "Борис"


def test_a_letter_has_text_and_html_and_names_the_operator_in_its_subject(settings):
    letter = letter_render(
        to="alice@example.ru",
        subject="Восстановление пароля",
        template="emails/accounts/password_reset",
        name="Алиса",
        link="https://lk.example.ru/x/",
    )

    assert letter.subject == f"Восстановление пароля — {settings.OPERATOR['short_name']}"
    assert letter.to == ["alice@example.ru"]
    assert "https://lk.example.ru/x/" in letter.body
    [(html, mimetype)] = letter.alternatives
    assert mimetype == "text/html"
    assert "https://lk.example.ru/x/" in html


def test_a_letter_to_a_mailbox_of_staff_can_be_plain_text():
    letter = letter_render(
        to="support@example.ru",
        subject="Спор",
        template="emails/accounts/password_reset",
        html=False,
        name="",
        link="https://lk.example.ru/x/",
    )

    assert letter.alternatives == []
