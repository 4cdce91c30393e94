"""A meter's history: each reading's status, the monthly volumes with their source as a chart
and a table, the whole history as CSV; constant queries however long the history."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meters.models import ExportBatch, MonthlyVolume, Reading, ReadingOutcome

pytestmark = pytest.mark.django_db


@pytest.fixture
def make_reading(meter, holding):
    counter = iter(range(1, 10_000))

    def make(period: datetime.date, **fields) -> Reading:
        n = next(counter)
        return Reading.objects.create(
            number=f"ПП-2026-{n:06d}",
            meter=meter,
            period=period,
            value_t1=12000 + n,
            value_t2=5000 + n,
            source="web",
            user=holding.user,
            submitted_at=datetime.datetime(
                period.year, period.month, 20, 12, n % 60, tzinfo=datetime.UTC
            ),
            **fields,
        )

    return make


def test_each_reading_shows_where_it_is_on_its_way(client, alice, meter, make_reading, clock):
    batch = ExportBatch.objects.create()
    counted = make_reading(datetime.date(2026, 9, 1), export_batch=batch)
    ReadingOutcome.objects.create(
        reading=counted, accepted=True, billed_month=datetime.date(2026, 9, 1)
    )
    refused = make_reading(datetime.date(2026, 10, 1), export_batch=batch)
    ReadingOutcome.objects.create(
        reading=refused, accepted=False, reason="показания поступили после закрытия периода"
    )
    make_reading(datetime.date(2026, 11, 1), export_batch=batch)
    make_reading(datetime.date(2026, 12, 1))
    client.force_login(alice)

    page = client.get(reverse("meters:history", args=[meter.pk])).content.decode()

    assert "учтено в расчёте за сентябрь 2026" in page
    assert "не учтено: показания поступили после закрытия периода" in page
    assert "выгружено в биллинг" in page
    assert "<td>передано</td>" in page


def test_volumes_show_as_an_svg_chart_and_a_table_with_their_source(
    client, alice, meter, holding, clock
):
    MonthlyVolume.objects.create(
        meter=meter,
        month=datetime.date(2026, 10, 1),
        source="consumer",
        volume_t1=210,
        volume_t2=95,
    )
    MonthlyVolume.objects.create(
        meter=meter,
        month=datetime.date(2026, 11, 1),
        source="average",
        volume_t1=200,
        volume_t2=100,
    )
    client.force_login(alice)

    page = client.get(reverse("meters:history", args=[meter.pk])).content.decode()

    assert '<svg class="meter-chart"' in page and "<script" not in page
    assert "<title>11.2026: День — 200</title>" in page.replace("\u202f", "")
    assert "среднемесячный объём" in page and "показания потребителя" in page
    assert '<th scope="row">10.2026</th>' in page


def test_the_history_costs_the_same_queries_for_a_short_or_long_history(
    client, alice, meter, make_reading, clock, django_assert_max_num_queries
):
    make_reading(datetime.date(2026, 11, 1))
    MonthlyVolume.objects.create(meter=meter, month=datetime.date(2026, 10, 1), source="norm")
    client.force_login(alice)
    url = reverse("meters:history", args=[meter.pk])
    with CaptureQueriesContext(connection) as short:
        client.get(url)
    month = datetime.date(2023, 1, 1)
    for _ in range(40):
        make_reading(month)
        MonthlyVolume.objects.get_or_create(meter=meter, month=month, source="consumer")
        month = (month + datetime.timedelta(days=32)).replace(day=1)

    with django_assert_max_num_queries(len(short.captured_queries)):
        page = client.get(url).content.decode()

    assert "Страница 1 из 2" in page


def test_the_whole_history_downloads_as_csv(client, alice, meter, make_reading, clock):
    first = make_reading(datetime.date(2026, 11, 1))
    make_reading(datetime.date(2026, 12, 1))
    client.force_login(alice)

    response = client.get(reverse("meters:history_csv", args=[meter.pk]))
    text = b"".join(response.streaming_content).decode("utf-8-sig")

    lines = text.strip().splitlines()
    assert (
        lines[0]
        == "Номер;Передано (МСК);Расчётный месяц;Показание: день;Показание: ночь;Источник;Состояние"
    )
    assert lines[-1].startswith(f"{first.number};20.11.2026 15:01:00;11.2026;12001.0;5001.0;")
    assert len(lines) == 3
