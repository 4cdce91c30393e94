"""Dates in Moscow: the one place that says which day a moment falls on.

Terms, serial numbers, reminders and the policy's effective dates count in Moscow dates, whatever
time zone a moment was stored in or a request has activated.
"""

import datetime

from django.utils import timezone
from django.utils.formats import date_format


def moscow_date(moment: datetime.date | datetime.datetime) -> datetime.date:
    """The Moscow date of a moment (a date is taken as it is).

    A request received at 23:30 Moscow time on Friday is Friday's, so its term counts from
    Saturday, whatever time zone the moment was stored or activated in.
    """
    if isinstance(moment, datetime.datetime):
        return timezone.localdate(moment, timezone.get_default_timezone())
    return moment


def moscow_today() -> datetime.date:
    """Today in Moscow."""
    return moscow_date(timezone.now())


def moscow_time(moment: datetime.datetime, *, seconds: bool = False) -> str:
    """The one way the portal writes a moment: «1 декабря 2026, 14:05 (мск)», in Moscow time
    whatever zone the moment was stored or a request has activated (seconds where they are
    evidence: a consent, a reading)."""
    local = timezone.localtime(moment, timezone.get_default_timezone())
    return f"{date_format(local, 'j E Y, H:i:s' if seconds else 'j E Y, H:i')} (мск)"
