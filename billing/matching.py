"""How a verification factor typed by a consumer is compared with the registry.

Compared in Python rather than in SQL: the account is fetched by its unique number anyway,
and PostgreSQL's lower() depends on the database's locale (under the C locale it leaves
Cyrillic alone), while Python's casefold() does not.
"""

import re

# Ignored when comparing: case, ё/е, whitespace and dashes ("Петрова-Водкина" typed as
# "петрова водкина", a meter number "12-345 678" typed as "12345678").
_IGNORED = re.compile(r"[\s\-‐-―]+")
# Where the initials begin in "Иванова А. П." or "Ван дер Берг А.Б.".
_INITIALS = re.compile(r"\s+[^\W\d_]\.")


def factor_key(value: str) -> str:
    """The form in which a surname or a meter number is compared."""
    return _IGNORED.sub("", (value or "").casefold().replace("ё", "е"))


def holder_surname(holder_name: str) -> str:
    """The surname out of billing's "Фамилия И. О." (or a full name without initials)."""
    holder_name = (holder_name or "").strip()
    initials = _INITIALS.search(holder_name)
    if initials:
        return holder_name[: initials.start()]
    return holder_name.split(maxsplit=1)[0] if holder_name else ""
