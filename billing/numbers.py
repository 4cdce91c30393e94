"""Account numbers: their format (a setting), how people type them, and how they are masked."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lkk.russian import plural

# People copy numbers from a receipt with spaces or dashes between groups of digits.
_SEPARATORS = re.compile(r"[\s\-‐-―]+")


def clean_account_number(raw: str) -> str:
    """The number as typed, without the spaces and dashes people put between digit groups."""
    return _SEPARATORS.sub("", raw or "")


def is_valid_account_number(value: str) -> bool:
    """Digits only, exactly BILLING_ACCOUNT_NUMBER_LENGTH of them. The setting is read on each
    call, not frozen into migrations, so the format follows the billing system's."""
    return (
        len(value) == settings.BILLING_ACCOUNT_NUMBER_LENGTH and value.isascii() and value.isdigit()
    )


def account_number_format_message() -> str:
    length = settings.BILLING_ACCOUNT_NUMBER_LENGTH
    return _("Номер лицевого счёта состоит из %(length)d %(digits)s.") % {
        "length": length,
        "digits": plural(length, "цифры", "цифр", "цифр"),
    }


def validate_account_number(value: str) -> None:
    if not is_valid_account_number(value):
        raise ValidationError(account_number_format_message(), code="invalid_account_number")


def mask_account_number(number: str) -> str:
    """`****5678`: enough for the owner and for staff to tell accounts apart in logs and
    letters, too little to link or look up someone else's account."""
    return "****" + (number or "")[-4:]
