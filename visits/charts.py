"""Bar charts by day, drawn on the server as SVG: no JavaScript, nothing the CSP would block.

The geometry is computed here; `admin/visits/includes/chart.html` only writes it out. Colours are
SVG presentation attributes (`fill`, `stroke`), which the CSP's `style-src 'self'` allows.
"""

import math
from dataclasses import dataclass
from datetime import date

from visits.models import SLOW_RESPONSE_MS
from visits.statistics import StatisticsReport

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 64, 12, 32, 28  # room for the axis labels and the legend
MAX_DATE_LABELS = 10

BLUE, ORANGE, RED, AMBER, PURPLE = "#3b6fb6", "#d9822b", "#c0392b", "#d4a017", "#7d5ba6"


@dataclass(frozen=True)
class Series:
    label: str
    color: str
    values: list[float | None]  # one per day; None where the day has no data


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    color: str
    title: str


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    title: str


@dataclass(frozen=True)
class Line:
    color: str
    points: list[Point]

    @property
    def svg_points(self) -> str:
        return " ".join(f"{point.x},{point.y}" for point in self.points)


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class LegendItem:
    x: float
    color: str
    label: str

    @property
    def label_x(self) -> float:
        return self.x + 18


@dataclass(frozen=True)
class Chart:
    title: str
    bars: list[Bar]
    lines: list[Line]
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    legend: list[LegendItem]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM
    y_label_x: int = LEFT - 6


def statistics_charts(report: StatisticsReport) -> list[Chart]:
    """The three charts of the statistics page; the same numbers are in its table by day."""
    days = [row.day for row in report.days]

    def values(attribute: str) -> list[float | None]:
        return [getattr(row.stats, attribute) if row.stats else None for row in report.days]

    return [
        daily_chart(
            title="Просмотры страниц и уникальные IP-адреса по дням",
            days=days,
            stacked=[Series("Просмотры", BLUE, values("views"))],
            line=Series("Уникальные IP-адреса", ORANGE, values("unique_ips")),
        ),
        daily_chart(
            title="Доля ответов с ошибкой по дням, %",
            days=days,
            stacked=[
                Series("Ошибки сервера (5xx)", RED, values("server_error_percent")),
                Series("Ошибки запроса (4xx)", AMBER, values("client_error_percent")),
            ],
            percent=True,
        ),
        daily_chart(
            title=f"Медленные ответы (дольше {SLOW_RESPONSE_MS} мс) по дням",
            days=days,
            stacked=[Series("Медленные ответы", PURPLE, values("slow_views"))],
        ),
    ]


def daily_chart(
    *,
    title: str,
    days: list[date],
    stacked: list[Series],
    line: Series | None = None,
    percent: bool = False,
    label_format: str = "%d.%m",
) -> Chart:
    """Bars per day (several series stacked), and optionally a line over them. `days` may be
    any dates, one per bar (the meters' chart gives months, labelled `%m.%Y`)."""
    plot_height = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / len(days)
    totals = [sum(series.values[n] or 0 for series in stacked) for n in range(len(days))]
    line_values = [value or 0 for value in line.values] if line else []
    step = _nice_step(max([*totals, *line_values, 0]) / 4, fractional=percent)
    top_value = step * 4

    def y_of(value: float) -> float:
        return round(TOP + plot_height * (1 - value / top_value), 1)

    def x_of(n: int) -> float:
        return round(LEFT + slot * (n + 0.5), 1)

    bars = []
    for n, day in enumerate(days):
        base = 0.0
        label = day.strftime(label_format)
        for series in stacked:
            value = series.values[n]
            if not value:
                continue
            bars.append(
                Bar(
                    x=round(LEFT + slot * (n + 0.15), 1),
                    y=y_of(base + value),
                    width=round(slot * 0.7, 1),
                    height=round(y_of(base) - y_of(base + value), 1),
                    color=series.color,
                    title=f"{label}: {series.label} — {_number(value, percent)}",
                )
            )
            base += value
    lines = []
    if line:
        points = [
            Point(
                x_of(n),
                y_of(value),
                f"{day.strftime(label_format)}: {line.label} — {_number(value, percent)}",
            )
            for n, (day, value) in enumerate(zip(days, line.values, strict=True))
            if value is not None
        ]
        lines.append(Line(line.color, points))
    label_every = math.ceil(len(days) / MAX_DATE_LABELS)
    return Chart(
        title=title,
        bars=bars,
        lines=lines,
        y_ticks=[Tick(y_of(step * k), _number(step * k, percent)) for k in range(5)],
        x_ticks=[
            Tick(x_of(n), day.strftime(label_format))
            for n, day in enumerate(days)
            if (len(days) - 1 - n) % label_every == 0  # today always labelled
        ],
        legend=_legend([*stacked, *([line] if line else [])]),
    )


def _nice_step(rough: float, *, fractional: bool) -> float:
    """The smallest 1, 2 or 5 × 10ⁿ not below `rough`: at least 1 for counts, 0.01 for percents."""
    smallest = 0.01 if fractional else 1
    if rough <= smallest:
        return smallest
    magnitude = 10 ** math.floor(math.log10(rough))
    return next(f * magnitude for f in (1, 2, 5, 10) if f * magnitude >= rough)


def _number(value: float, percent: bool) -> str:
    if percent:
        return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",") + " %"
    return f"{value:,.0f}".replace(",", "\u202f")  # a narrow space between thousands


def _legend(series: list[Series]) -> list[LegendItem]:
    items, x = [], float(LEFT)
    for one in series:
        items.append(LegendItem(x, one.color, one.label))
        x += 28 + 7 * len(one.label)  # a rough width of the label at font-size 12
    return items
