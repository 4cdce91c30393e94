"""Charts drawn on the server: bars to scale, readable axes, gaps where a day has no data."""

from datetime import date, timedelta

from visits.charts import BOTTOM, HEIGHT, TOP, Series, daily_chart

DAYS = [date(2026, 3, 1) + timedelta(days=n) for n in range(4)]
BASELINE = HEIGHT - BOTTOM


def test_bars_are_drawn_to_scale_on_a_round_axis():
    chart = daily_chart(
        title="Просмотры", days=DAYS, stacked=[Series("Просмотры", "#000", [10, 35, 70, 0])]
    )

    assert [tick.label for tick in chart.y_ticks] == ["0", "20", "40", "60", "80"]
    heights = [bar.height for bar in chart.bars]
    assert heights[2] == round(2 * heights[1], 1)
    assert chart.bars[2].y + chart.bars[2].height == BASELINE
    assert len(chart.bars) == 3  # no bar for a zero
    assert chart.bars[1].title == "02.03: Просмотры — 35"


def test_stacked_series_sit_on_each_other():
    chart = daily_chart(
        title="Ошибки",
        days=DAYS[:1],
        stacked=[Series("5xx", "#f00", [1.5]), Series("4xx", "#fa0", [2.5])],
        percent=True,
    )

    server, client = chart.bars
    assert server.y + server.height == BASELINE
    assert client.y + client.height == server.y
    assert [tick.label for tick in chart.y_ticks][-1] == "4 %"
    assert client.title == "01.03: 4xx — 2,5 %"


def test_a_day_without_data_has_no_bar_and_no_point():
    chart = daily_chart(
        title="Просмотры",
        days=DAYS,
        stacked=[Series("Просмотры", "#000", [5, None, 5, 5])],
        line=Series("IP", "#f80", [3, None, 3, 3]),
    )

    assert len(chart.bars) == 3
    assert [point.title[:5] for point in chart.lines[0].points] == ["01.03", "03.03", "04.03"]


def test_an_empty_period_still_has_an_axis():
    chart = daily_chart(title="Пусто", days=DAYS, stacked=[Series("Просмотры", "#000", [0] * 4)])

    assert [tick.label for tick in chart.y_ticks] == ["0", "1", "2", "3", "4"]
    assert chart.y_ticks[-1].position == TOP
    assert chart.bars == []


def test_dates_are_labelled_sparsely_and_today_always():
    days = [date(2026, 1, 1) + timedelta(days=n) for n in range(90)]

    chart = daily_chart(title="90 дней", days=days, stacked=[Series("x", "#000", [1] * 90)])

    assert len(chart.x_ticks) <= 10
    assert chart.x_ticks[-1].label == f"{days[-1]:%d.%m}"
