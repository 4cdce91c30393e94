"""Russia's calendar as the installed `holidays` package knows it, before staff overrides.

The package lists the public holidays of the Labour Code (art. 112) and, for each year whose
Government decree it has, the transferred days off and the working Saturdays
(`weekend_workdays`). A year whose decree is not in the package has only the fixed holidays:
staff add that decree's days as overrides until the package is upgraded.
"""

import datetime
import functools

import holidays


@functools.cache
def _russian_calendar(year: int) -> holidays.HolidayBase:
    """One year of the package's calendar, built once per process.

    Only ever asked about dates of its own year, so it never expands (mutates) after building
    and is safe to share between threads.
    """
    return holidays.country_holidays("RU", years=year, language="ru")


def official_is_working_day(day: datetime.date) -> bool:
    """Whether the package counts the day as working (weekdays but holidays, working weekends)."""
    return _russian_calendar(day.year).is_working_day(day)


def official_day_name(day: datetime.date) -> str:
    """The holiday's or the transfer's name («Новогодние каникулы», «Выходной (перенесено с …)»)."""
    return _russian_calendar(day.year).get(day, "")
