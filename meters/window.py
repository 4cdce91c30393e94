"""The window for passing readings and the billing period a reading counts for, in Moscow time.

The operator sets the window as days of the month (METERS_WINDOW_FIRST_DAY…LAST_DAY, both
inclusive). The server, never the browser, decides the period: inside the window it is the
current month; before the window opens it is also the current month (its window is the next
one); after it closes, the next month. A reading sent at 23:59:59 on the last day is still that
day in Moscow, so it counts for the current period.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from workcalendar.terms import moscow_date


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def previous_month(month: datetime.date) -> datetime.date:
    return (month.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


@dataclass(frozen=True)
class ReadingWindow:
    today: datetime.date  # Moscow
    period: datetime.date  # first day of the month a reading sent now counts for
    opens: datetime.date  # the window of `period`
    closes: datetime.date

    @property
    def is_open(self) -> bool:
        return self.opens <= self.today <= self.closes

    @property
    def refuses(self) -> bool:
        """Outside the window, the operator may refuse readings instead of moving them on."""
        return not self.is_open and settings.METERS_OUTSIDE_WINDOW == "refuse"

    @property
    def moved_to_next_period(self) -> bool:
        """A reading sent now counts for a later period than the month it is sent in."""
        return not self.is_open and not self.refuses


def current_time() -> datetime.datetime:
    """The one clock of this app (tests set it)."""
    return timezone.now()


def reading_window(now: datetime.datetime | None = None) -> ReadingWindow:
    today = moscow_date(now or current_time())
    first, last = settings.METERS_WINDOW_FIRST_DAY, settings.METERS_WINDOW_LAST_DAY
    period = month_start(today) if today.day <= last else next_month(month_start(today))
    return ReadingWindow(
        today=today,
        period=period,
        opens=period.replace(day=first),
        closes=period.replace(day=last),
    )
