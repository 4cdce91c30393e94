"""A pasted list of affected people: addresses and user numbers, one or many per line."""

import re
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from accounts.models import User

_SEPARATORS = re.compile(r"[\s,;]+")
_MAX_ID_DIGITS = 18  # a bigint; anything longer is not a user number


@dataclass(frozen=True)
class SubjectList:
    emails: frozenset[str]
    user_ids: frozenset[int]
    unreadable: tuple[str, ...]  # neither an address nor a number

    def users(self, accounts: QuerySet[User] | None = None) -> QuerySet[User]:
        """The accounts (of `accounts`, all by default) the list names by address or number."""
        accounts = User.objects.all() if accounts is None else accounts
        return accounts.filter(Q(email__in=self.emails) | Q(pk__in=self.user_ids))


def subject_list_parse(text: str) -> SubjectList:
    """Split on spaces, line breaks, commas and semicolons, as lists are pasted from anywhere."""
    emails: set[str] = set()
    user_ids: set[int] = set()
    unreadable: list[str] = []
    for entry in filter(None, _SEPARATORS.split(text)):
        if entry.isascii() and entry.isdigit() and len(entry) <= _MAX_ID_DIGITS:
            user_ids.add(int(entry))
        elif "@" in entry.strip("@"):
            emails.add(User.objects.normalize_email(entry))
        else:
            unreadable.append(entry)
    return SubjectList(frozenset(emails), frozenset(user_ids), tuple(unreadable))
