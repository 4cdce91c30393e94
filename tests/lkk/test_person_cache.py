import datetime
from unittest import mock

from django.test import RequestFactory

from lkk.moscow import moscow_today
from lkk.person_cache import Shown, person_cached, person_changed


def counting(value):
    calls = []

    def compute():
        calls.append(1)
        return value

    return compute, calls


def test_a_part_is_computed_once_until_its_person_changes():
    compute, calls = counting("баннер")

    assert person_cached(Shown.PD_BLOCKING, 7, compute) == "баннер"
    assert person_cached(Shown.PD_BLOCKING, 7, compute) == "баннер"
    assert len(calls) == 1

    person_changed(Shown.PD_BLOCKING, [7])
    person_cached(Shown.PD_BLOCKING, 7, compute)
    assert len(calls) == 2


def test_a_part_is_computed_again_on_the_next_moscow_day():
    compute, calls = counting("срок до завтра")
    person_cached(Shown.PD_BLOCKING, 7, compute)

    tomorrow = moscow_today() + datetime.timedelta(days=1)
    with mock.patch("lkk.person_cache.moscow_today", return_value=tomorrow):
        person_cached(Shown.PD_BLOCKING, 7, compute)

    assert len(calls) == 2


def test_a_request_works_out_the_day_once_for_all_the_parts_it_reads():
    request = RequestFactory().get("/kabinet/")

    with mock.patch("lkk.person_cache.moscow_today", wraps=moscow_today) as today:
        for name in (Shown.PD_BLOCKING, Shown.INCIDENT_NOTICES, Shown.PENDING_POLICY):
            person_cached(name, 7, lambda: None, request=request)
        person_cached(Shown.DASHBOARD, 7, lambda: "", depends_on="generation", request=request)

    assert today.call_count == 1
