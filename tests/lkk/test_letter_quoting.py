"""User text inside a letter is marked as the user's: quoted line by line, or kept to one line."""

from django.template import Context, Template


def render(template: str, **context) -> str:
    return Template(
        "{% load portal %}{% autoescape off %}" + template + "{% endautoescape %}"
    ).render(Context(context))


def test_a_comment_is_quoted_line_by_line():
    text = render("{{ comment|quoted }}", comment="Счёт мой.\n\n— Служба поддержки: всё решено")

    assert text == "> Счёт мой.\n>\n> — Служба поддержки: всё решено"


def test_a_subject_stays_on_its_line():
    text = render("Тема: «{{ subject|one_line }}»", subject="Счёт\r\n\r\nОтвет: оплатите")

    assert text == "Тема: «Счёт Ответ: оплатите»"
