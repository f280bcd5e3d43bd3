"""Charts drawn on the server as SVG: stacked bars or lines by day, with a title and description for
screen readers (the page shows the same numbers as a table next to it)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final

from markupsafe import Markup, escape

PALETTE: Final = ("#1f6f43", "#b3261e", "#8a5a00", "#3559b8", "#7a3e9d", "#00707a", "#a4375b", "#555f6d")
"""Colours with at least 4.5:1 contrast on white, told apart by more than hue (each bar also has a title)."""


@dataclass(frozen=True, slots=True)
class Series:
    """One named row of numbers, one per day of the chart, and its colour."""

    name: str
    values: tuple[int, ...]
    colour: str


@dataclass(frozen=True, slots=True)
class Chart:
    """What to draw: days along the bottom, series stacked (bars) or side by side (lines)."""

    title: str
    description: str
    days: tuple[date, ...]
    series: tuple[Series, ...]

    def totals(self) -> tuple[int, ...]:
        return tuple(sum(s.values[i] for s in self.series) for i in range(len(self.days)))


def series_of(names: Sequence[str], rows: Sequence[Sequence[int]]) -> tuple[Series, ...]:
    """Series with the palette's colours assigned in order (names beyond it reuse colours)."""
    return tuple(Series(name, tuple(row), PALETTE[i % len(PALETTE)]) for i, (name, row) in
                 enumerate(zip(names, rows, strict=True)))


def nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 5 x 10^n at or above `value` (at least 1), so axis ticks are round."""
    if value <= 1:
        return 1
    power: int = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power  # pragma: no cover - the loop always returns


_WIDTH, _HEIGHT = 720, 260
_LEFT, _RIGHT, _TOP, _BOTTOM = 44, 12, 12, 40


def _ticks(top: int) -> list[int]:
    step = max(1, top // 4) if top >= 4 else 1
    return list(range(0, top + 1, step))


def _frame(chart: Chart, ident: str, top: int, body: list[str]) -> Markup:
    plot_h = _HEIGHT - _TOP - _BOTTOM
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {_WIDTH} {_HEIGHT}" '
        f'role="img" aria-labelledby="{ident}-title {ident}-desc" preserveAspectRatio="xMidYMid meet">',
        f'<title id="{ident}-title">{escape(chart.title)}</title>',
        f'<desc id="{ident}-desc">{escape(chart.description)}</desc>',
    ]
    for tick in _ticks(top):
        y = _TOP + plot_h - plot_h * tick / top
        parts.append(f'<line x1="{_LEFT}" x2="{_WIDTH - _RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d0d5dc" '
                     f'stroke-width="1"/>')
        parts.append(f'<text x="{_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
                     f'fill="#333">{tick}</text>')
    parts.extend(body)
    count = len(chart.days)
    band = (_WIDTH - _LEFT - _RIGHT) / max(count, 1)
    every = max(1, math.ceil(count / 10))
    for i, day in enumerate(chart.days):
        if i % every == 0 or i == count - 1:
            x = _LEFT + band * (i + 0.5)
            parts.append(f'<text x="{x:.1f}" y="{_HEIGHT - _BOTTOM + 16}" text-anchor="middle" font-size="11" '
                         f'fill="#333">{day.strftime("%b %d")}</text>')
    parts.append(_legend(chart))
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text above is escaped or a number


def _legend(chart: Chart) -> str:
    parts, x = [], _LEFT
    y = _HEIGHT - 10
    for series in chart.series:
        parts.append(f'<rect x="{x}" y="{y - 9}" width="10" height="10" fill="{escape(series.colour)}"/>')
        parts.append(f'<text x="{x + 14}" y="{y}" font-size="11" fill="#333">{escape(series.name)}</text>')
        x += 24 + 7 * len(series.name)
    return "".join(parts)


def stacked_bars(chart: Chart, ident: str = "chart") -> Markup:
    """The chart as stacked bars, one per day; each segment's title gives its day, series and count."""
    top = nice_ceiling(max(chart.totals(), default=0))
    plot_h = _HEIGHT - _TOP - _BOTTOM
    band = (_WIDTH - _LEFT - _RIGHT) / max(len(chart.days), 1)
    width = max(2.0, band * 0.7)
    body: list[str] = []
    for i, day in enumerate(chart.days):
        x = _LEFT + band * i + (band - width) / 2
        base = float(_TOP + plot_h)
        for series in chart.series:
            value = series.values[i]
            if not value:
                continue
            height = plot_h * value / top
            base -= height
            body.append(f'<rect x="{x:.1f}" y="{base:.1f}" width="{width:.1f}" height="{height:.1f}" '
                        f'fill="{escape(series.colour)}"><title>{day.isoformat()}: {escape(series.name)} '
                        f'{value}</title></rect>')
    return _frame(chart, ident, top, body)


def lines(chart: Chart, ident: str = "chart") -> Markup:
    """The chart as one line per series, with a marker per day that carries its title."""
    top = nice_ceiling(max((v for s in chart.series for v in s.values), default=0))
    plot_h = _HEIGHT - _TOP - _BOTTOM
    band = (_WIDTH - _LEFT - _RIGHT) / max(len(chart.days), 1)
    body: list[str] = []
    for series in chart.series:
        points = [(_LEFT + band * (i + 0.5), _TOP + plot_h - plot_h * v / top) for i, v in enumerate(series.values)]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            body.append(f'<polyline points="{path}" fill="none" stroke="{escape(series.colour)}" stroke-width="2"/>')
        for (x, y), day, value in zip(points, chart.days, series.values, strict=True):
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{escape(series.colour)}">'
                        f'<title>{day.isoformat()}: {escape(series.name)} {value}</title></circle>')
    return _frame(chart, ident, top, body)


__all__ = ["PALETTE", "Chart", "Series", "lines", "nice_ceiling", "series_of", "stacked_bars"]
