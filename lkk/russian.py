"""Russian words with numbers and phone numbers, written one way across the portal."""

import re


def plural(count: int, one: str, few: str, many: str) -> str:
    """The form of a noun for `count`: 1 обращение, 2 обращения, 5 обращений, 11 обращений,
    21 обращение (Django's ngettext knows only two forms without a translation catalogue)."""
    count = abs(count)
    if count % 10 == 1 and count % 100 != 11:
        return one
    if 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14:
        return few
    return many


def phone(number: str) -> str:
    """A Russian number as people read it: +7 903 777-88-99; anything else as it was given."""
    digits = re.fullmatch(r"\+7(\d{3})(\d{3})(\d{2})(\d{2})", re.sub(r"[\s()-]", "", number or ""))
    if not digits:
        return number
    return "+7 {} {}-{}-{}".format(*digits.groups())
