"""What people may type where it is printed back to others: names and one-line subjects.

A name goes into letters («Здравствуйте, …!»), the admin and documents. It must not carry a
second line, a link, a phone number or markup, so that nobody can make a letter of the portal say
what the operator never wrote.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# Words of letters (any alphabet), joined by a space, a hyphen, an apostrophe or a dot
# («Салтыков-Щедрин», «д'Артаньян», «Иванов И. И.»).
_NAME = re.compile(r"[^\W\d_]+(?:[ \-'’.]+[^\W\d_]+)*\.?")
# word.word without a space: a domain name («example.com», «сайт.рф»).
_DOMAIN = re.compile(r"[^\W\d_]{2,}\.[^\W\d_]{2,}")
# Unicode's bidirectional controls: they reorder what a reader sees.
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


def _breaks_the_line(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Zl", "Zp") or char in _BIDI_CONTROLS


@deconstructible
class PersonNameValidator:
    """A name, or a part of one: letters, single-line, no link, digit or markup."""

    def __call__(self, value: str) -> None:
        if not value:
            return
        if any(_breaks_the_line(char) for char in value):
            raise ValidationError(
                _("Имя должно быть одной строкой: без переводов строки и служебных символов."),
                code="multiline",
            )
        if _DOMAIN.search(value) or "://" in value or "www" in value.lower():
            raise ValidationError(_("Ссылки в имени не допускаются."), code="link")
        if not _NAME.fullmatch(value.strip()):
            raise ValidationError(
                _(
                    "Используйте только буквы; между словами — пробел, дефис, апостроф или "
                    "точка. Цифры, ссылки и другие знаки не допускаются."
                ),
                code="invalid_name",
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PersonNameValidator)


validate_person_name = PersonNameValidator()


def validate_single_line(value: str) -> None:
    """A subject or a title: one line, without control characters."""
    if value and any(_breaks_the_line(char) for char in value):
        raise ValidationError(
            _("Должна быть одна строка: без переводов строки и служебных символов."),
            code="multiline",
        )


def one_line(value: str) -> str:
    """`value` as a single line, for text typed before these rules or from elsewhere: every
    run of whitespace and control characters becomes one space."""
    cleaned = "".join(" " if _breaks_the_line(char) else char for char in value or "")
    return " ".join(cleaned.split())
