"""Russian working days and the 152-FZ terms counted in them: the one place for these rules.

A day is working as the `holidays` package's production calendar says (`workcalendar.official`),
unless staff added a `CalendarOverride` for it, which takes precedence.

A term counts from the day after its start (Civil Code art. 191), in Moscow dates. A term in
working days ends on a working day by construction. The 152-FZ terms in calendar days are
maxima («в срок, не превышающий тридцати дней»): they end on their last calendar day even when
it is a day off — the work must be done by then, so on the working day before it the term is
due. Other calendar terms (the 59-FZ answer to feedback) that end on a non-working day move to
the next working day (Civil Code art. 193), see `add_calendar_days`.
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

from django.db import models
from django.utils.translation import gettext_lazy as _

# Re-exported: the apps that count terms import it from here.
from lkk.moscow import moscow_date as moscow_date
from workcalendar.models import CalendarOverride
from workcalendar.official import official_is_working_day

ONE_DAY = datetime.timedelta(days=1)

# Longer than any run of days off the calendar has had: the New Year holidays with the weekends
# around them (twelve days, 31.12.2025–11.01.2026). Sizes the window of overrides fetched at once.
LONGEST_DAYS_OFF = 14


@dataclass(frozen=True)
class TermLength:
    days: int
    in_working_days: bool
    # A term «не превышающий N дней» ends on its last day whatever day of the week it is.
    at_the_latest: bool = False


class Term(models.TextChoices):
    """The 152-FZ terms for the operator, each counted from the day after its start."""

    ANSWER = "answer", _("ответ на запрос субъекта (ч. 1 ст. 20 152-ФЗ)")
    ANSWER_EXTENSION = (
        "answer_extension",
        _("продление срока ответа по мотивированному уведомлению (ч. 1 ст. 20 152-ФЗ)"),
    )
    CORRECTION = (
        "correction",
        _("уточнение ПДн после представления сведений (ч. 3 ст. 20, ч. 2 ст. 21 152-ФЗ)"),
    )
    STOP_UNLAWFUL = "stop_unlawful", _("прекращение неправомерной обработки (ч. 3 ст. 21 152-ФЗ)")
    DESTROY = "destroy", _("уничтожение неправомерно обрабатываемых ПДн (ч. 3 ст. 21 152-ФЗ)")
    STOP_PROCESSING = (
        "stop_processing",
        _("прекращение обработки по требованию субъекта (ч. 5.1 ст. 21 152-ФЗ)"),
    )
    DESTROY_AFTER_WITHDRAWAL = (
        "destroy_after_withdrawal",
        _("прекращение обработки и уничтожение ПДн после отзыва согласия (ч. 5 ст. 21 152-ФЗ)"),
    )

    @property
    def length(self) -> TermLength:
        return TERM_LENGTHS[self]


TERM_LENGTHS: dict[Term, TermLength] = {
    Term.ANSWER: TermLength(days=10, in_working_days=True),
    Term.ANSWER_EXTENSION: TermLength(days=5, in_working_days=True),
    Term.CORRECTION: TermLength(days=7, in_working_days=True),
    Term.STOP_UNLAWFUL: TermLength(days=3, in_working_days=True),
    Term.DESTROY: TermLength(days=10, in_working_days=True),
    # Extendable once by five working days with a reasoned notice, as the answer is.
    Term.STOP_PROCESSING: TermLength(days=10, in_working_days=True),
    Term.DESTROY_AFTER_WITHDRAWAL: TermLength(days=30, in_working_days=False, at_the_latest=True),
}


def is_working_day(day: datetime.date) -> bool:
    """Whether people work on this day in Russia (one query; ranges use the functions below)."""
    overrides = CalendarOverride.objects.statuses_between(day, day)
    return _is_working(day, overrides)


def add_working_days(*, start: datetime.date | datetime.datetime, days: int) -> datetime.date:
    """The `days`-th working day after `start`: the end of a term in working days."""
    _require_positive(days)
    working = (
        day
        for day, is_working in _days_after(moscow_date(start), window=2 * days + LONGEST_DAYS_OFF)
        if is_working
    )
    return next(islice(working, days - 1, None))


def add_calendar_days(*, start: datetime.date | datetime.datetime, days: int) -> datetime.date:
    """`days` calendar days after `start`, moved to the next working day if that one is not."""
    _require_positive(days)
    last_day_before_end = moscow_date(start) + datetime.timedelta(days=days - 1)
    return next(
        day
        for day, is_working in _days_after(last_day_before_end, window=LONGEST_DAYS_OFF)
        if is_working
    )


def working_days_between(
    *, start: datetime.date | datetime.datetime, end: datetime.date | datetime.datetime
) -> int:
    """Working days after `start` up to and including `end`; negative when `end` is earlier.

    `working_days_between(start=today, end=due_on)` is how many working days are left (0: due
    today; -2: overdue by two working days). To filter a list by it, compare the due dates with
    `add_working_days(start=today, days=n)` instead: one calculation for the whole list.
    """
    start, end = moscow_date(start), moscow_date(end)
    if end < start:
        return -working_days_between(start=end, end=start)
    if end == start:
        return 0
    overrides = CalendarOverride.objects.statuses_between(start + ONE_DAY, end)
    return sum(_is_working(day, overrides) for day in _dates(start + ONE_DAY, end))


def due_date(term: Term, *, start: datetime.date | datetime.datetime) -> datetime.date:
    """The last day of `term` started at `start` (a request's receipt, the documents' showing)."""
    length = term.length
    if length.in_working_days:
        return add_working_days(start=start, days=length.days)
    if length.at_the_latest:
        _require_positive(length.days)
        return moscow_date(start) + datetime.timedelta(days=length.days)
    return add_calendar_days(start=start, days=length.days)


def extended_due_date(*, due_on: datetime.date) -> datetime.date:
    """The answer's due date after its one extension: five more working days after the old one.

    The extension counts from the original due date, not from the receipt; that it is granted
    only once, with a recorded reason told to the subject, is the request's rule.
    """
    return due_date(Term.ANSWER_EXTENSION, start=due_on)


def _require_positive(days: int) -> None:
    if days < 1:
        raise ValueError(f"A term lasts at least one day, not {days}.")


def _is_working(day: datetime.date, overrides: dict[datetime.date, bool]) -> bool:
    override = overrides.get(day)
    return official_is_working_day(day) if override is None else override


def _dates(first: datetime.date, last: datetime.date) -> Iterator[datetime.date]:
    day = first
    while day <= last:
        yield day
        day += ONE_DAY


def _days_after(start: datetime.date, *, window: int) -> Iterator[tuple[datetime.date, bool]]:
    """Each day after `start` with whether it is working, overrides fetched `window` days at a time.

    A window sized for the term costs one query; should staff declare more days off than it
    covers, the next window costs one more query instead of a wrong date.
    """
    first = start + ONE_DAY
    while True:
        last = first + datetime.timedelta(days=window - 1)
        overrides = CalendarOverride.objects.statuses_between(first, last)
        for day in _dates(first, last):
            yield day, _is_working(day, overrides)
        first = last + ONE_DAY
