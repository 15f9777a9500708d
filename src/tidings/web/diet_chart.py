"""The News diet's charts as plain geometry for an SVG the template draws (pure; no chart library).

Colours are CSS classes (diet-c0 … diet-c5, diet-other, diet-unfiled) whose fills tidings' stylesheet sets
for light and dark; text uses currentColor. The Content-Security-Policy forbids style attributes, and SVG
presentation attributes (x, y, width, height) are not styles, so sizes go there.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from tidings.personalization.diet import OTHER, UNFILED, Diet

WIDTH = 640
HEIGHT = 260
LEFT, RIGHT, TOP, BOTTOM = 40, 8, 14, 30
BAR_FILL = 0.62  # of each week's slot
NICE_STEPS = (1, 2, 5)


@dataclass(frozen=True, slots=True)
class Segment:
    x: float
    y: float
    width: float
    height: float
    css: str
    label: str  # for a <title>: "Politics: 2 articles"


@dataclass(frozen=True, slots=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True, slots=True)
class WeekColumn:
    x: float  # centre, for the label
    label: str  # "7 Dec"
    articles: int
    segments: tuple[Segment, ...]


@dataclass(frozen=True, slots=True)
class LegendEntry:
    key: int
    name: str
    css: str
    read_percent: float  # 0..100
    follow_percent: float


@dataclass(frozen=True, slots=True)
class TableRow:
    week: str  # "7 Dec 2026"
    articles: int
    cells: tuple[str, ...]  # per legend entry: "2", "0.5" or ""


@dataclass(frozen=True, slots=True)
class DietChart:
    width: int
    height: int
    plot_left: float
    plot_right: float
    baseline: float
    columns: tuple[WeekColumn, ...]
    ticks: tuple[Tick, ...]
    legend: tuple[LegendEntry, ...]
    table: tuple[TableRow, ...]


def css_class(key: int, index: int) -> str:
    if key == OTHER:
        return "diet-other"
    if key == UNFILED:
        return "diet-unfiled"
    return f"diet-c{index % 6}"


def legend_name(key: int, names: Mapping[int, str]) -> str:
    if key == OTHER:
        return "Other categories"
    if key == UNFILED:
        return "Not filed"
    return names.get(key, f"Category {key}")


def nice_ceiling(value: float) -> tuple[int, int]:
    """The axis top (≥ value, at least 1) and a step giving at most 5 ticks: 1, 2 or 5 times a power of ten."""
    value = max(value, 1.0)
    magnitude = 10 ** math.floor(math.log10(value))
    for scale in (magnitude / 10, magnitude, magnitude * 10):
        for step in NICE_STEPS:
            size = max(int(step * scale), 1)
            top = math.ceil(value / size) * size
            if top / size <= 5:
                return top, size
    return math.ceil(value), math.ceil(value)


def _r(value: float) -> float:
    return round(value, 2)


def _amount(count: float) -> str:
    return f"{count:g}" if count == int(count) else f"{count:.1f}"


def diet_chart(diet: Diet, names: Mapping[int, str]) -> DietChart:
    """Stacked weekly bars (one segment per category) on a nice y axis, and the legend with both shares."""
    styles = {key: css_class(key, i) for i, key in enumerate(diet.categories)}
    legend = tuple(
        LegendEntry(
            key=key,
            name=legend_name(key, names),
            css=styles[key],
            read_percent=_r(100 * diet.read_share.get(key, 0.0)),
            follow_percent=_r(100 * diet.follow_share.get(key, 0.0)),
        )
        for key in diet.categories
    )
    top, step = nice_ceiling(max((w.articles for w in diet.weeks), default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    baseline = TOP + plot_h
    slot = plot_w / max(len(diet.weeks), 1)
    bar = slot * BAR_FILL
    columns = []
    for i, week in enumerate(diet.weeks):
        x = LEFT + i * slot + (slot - bar) / 2
        y = float(baseline)
        segments = []
        for key in diet.categories:
            count = week.by_category.get(key, 0.0)
            if count <= 0:
                continue
            height = plot_h * count / top
            y -= height
            amount = _amount(count)
            segments.append(
                Segment(
                    x=_r(x),
                    y=_r(y),
                    width=_r(bar),
                    height=_r(height),
                    css=styles[key],
                    label=f"{legend_name(key, names)}: {amount} article{'' if count == 1 else 's'}",
                )
            )
        columns.append(
            WeekColumn(
                x=_r(x + bar / 2),
                label=f"{week.start.day} {week.start:%b}",
                articles=week.articles,
                segments=tuple(segments),
            )
        )
    table = tuple(
        TableRow(
            week=f"{w.start.day} {w.start:%b %Y}",
            articles=w.articles,
            cells=tuple(_amount(w.by_category[k]) if w.by_category.get(k) else "" for k in diet.categories),
        )
        for w in diet.weeks
    )
    ticks = tuple(Tick(y=_r(baseline - plot_h * v / top), label=str(v)) for v in range(0, top + 1, step))
    return DietChart(
        width=WIDTH,
        height=HEIGHT,
        plot_left=LEFT,
        plot_right=WIDTH - RIGHT,
        baseline=baseline,
        columns=tuple(columns),
        ticks=ticks,
        legend=legend,
        table=table,
    )
