"""Russian text written one way: plurals, Moscow time, phone numbers."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import engines

from lkk.moscow import moscow_time
from lkk.russian import phone, plural


@pytest.mark.parametrize(
    ("count", "word"),
    [
        (1, "обращение"),
        (2, "обращения"),
        (4, "обращения"),
        (5, "обращений"),
        (6, "обращений"),
        (11, "обращений"),
        (12, "обращений"),
        (14, "обращений"),
        (21, "обращение"),
        (22, "обращения"),
        (25, "обращений"),
        (101, "обращение"),
        (111, "обращений"),
        (0, "обращений"),
    ],
)
def test_the_noun_agrees_with_the_number(count, word):
    assert plural(count, "обращение", "обращения", "обращений") == word


def test_every_template_has_the_plural_filter():
    template = engines["django"].from_string(
        '{{ n }} {{ n|plural:"обращение,обращения,обращений" }}'
    )

    assert template.render({"n": 1}) == "1 обращение"
    assert template.render({"n": 6}) == "6 обращений"


def test_a_moment_is_written_in_moscow_time_whatever_zone_it_is_in():
    moment = datetime.datetime(2026, 12, 1, 11, 5, 7, tzinfo=datetime.UTC)
    vladivostok = moment.astimezone(ZoneInfo("Asia/Vladivostok"))

    assert moscow_time(vladivostok) == "1 декабря 2026, 14:05 (мск)"
    assert moscow_time(moment, seconds=True) == "1 декабря 2026, 14:05:07 (мск)"
    template = engines["django"].from_string("{{ moment|msk }}")
    assert template.render({"moment": moment}) == "1 декабря 2026, 14:05 (мск)"


@pytest.mark.parametrize(
    ("number", "shown"),
    [
        ("+79037778899", "+7 903 777-88-99"),
        ("+7 (903) 777-88-99", "+7 903 777-88-99"),
        ("8 800 100-00-00", "8 800 100-00-00"),  # not in +7 form: as the operator wrote it
        ("", ""),
    ],
)
def test_phone_numbers_are_written_as_people_read_them(number, shown):
    assert phone(number) == shown
