"""The report's charts, as ReportLab vector drawings: bars with labelled axes, numbers written as
the report's language writes them, and colours chosen to stay apart in greyscale (each series
differs from the next in lightness, and bars carry their values).

A hidden count (a suppression mark) draws no bar: its label is the mark.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from welfarectl.base.italian import format_number, format_percent
from welfarectl.pdf.fonts import register_fonts

from .tables import COUNT, SCORE, SHARE

FONT, BOLD = "DejaVuSans", "DejaVuSans-Bold"
# Dark, light, middle: neighbouring series differ in lightness as well as hue, for greyscale prints.
SERIES = ("#1f4e79", "#f0a830", "#7fb2dc", "#5c5c5c")
# Scores 1 to 5, light to dark, and a neutral grey for answers not shown (suppressed).
SCALE = ("#e3edf7", "#a9c8e6", "#6c9fd0", "#3a70ae", "#173f73")
HIDDEN = "#ffffff"  # answers not shown (suppressed): white, with a dashed outline, unlike any score
INK = "#222222"


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence  # numbers, or suppression marks (str), or None


def bars(categories: Sequence[str], series: Sequence[Series], *, width: float, axis_title: str, lang: str,
         kind: str = COUNT, stacked: bool = False, colours: Sequence[str] = SERIES, value_max: float | None = None,
         label_width: float | None = None, bar_height: float = 11, inner_labels: bool = False):
    """Horizontal bars, one row per category (top to bottom), one bar per series (side by side, or
    stacked): value labels at the bar's end (or inside, stacked), the value axis titled below, a
    legend above when there are several series. None when there is no bar to draw (every value
    zero, missing or hidden): an empty chart says nothing."""
    from reportlab.graphics.charts.barcharts import HorizontalBarChart
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib.colors import HexColor, white

    if not any(number(v) > 0 for s in series for v in s.values):
        return None
    register_fonts()
    format_value = _formatter(kind, lang)
    format_axis = _formatter(kind, lang, axis=True)
    label_size = 7.5
    if label_width is None:
        label_width = min(width * 0.45, max(_text_width(c, label_size) for c in categories) + 8) if categories else 40
    gap = 3 + bar_height / 2
    per_row = bar_height * (1 if stacked else len(series)) + gap
    lines = _legend_lines(series, colours, width)
    legend = 11 * len(lines) + 3 if lines else 0
    chart_height = max(per_row * len(categories), 20)
    height = chart_height + 34 + legend
    drawing = Drawing(width, height, initialFontName=FONT)  # else ReportLab names Helvetica, never embedded
    chart = HorizontalBarChart()
    chart.x, chart.y = label_width, 28
    chart.width, chart.height = width - label_width - 34, chart_height
    # Side by side, ReportLab draws a group's first series at the bottom: reversed, the bars read
    # top to bottom in the legend's order.
    drawn = list(series) if stacked else list(reversed(series))
    colours = list(colours[:len(series)]) if stacked else list(reversed(colours[:len(series)]))
    chart.data = [[number(v) for v in s.values] for s in drawn]
    chart.categoryAxis.categoryNames = [fit_label(c, label_width - 8, label_size) for c in categories]
    chart.categoryAxis.reverseDirection = 1
    chart.categoryAxis.labels.fontName, chart.categoryAxis.labels.fontSize = FONT, label_size
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    chart.categoryAxis.strokeColor = HexColor(INK)
    chart.categoryAxis.tickLeft = 0
    if stacked:
        chart.categoryAxis.style = "stacked"
    top = value_max if value_max is not None else _stacked_max(chart.data) if stacked else _max(chart.data)
    step = _nice_step(top)
    if kind == COUNT:
        step = max(1, step)  # counts are whole: no gridline between 0 and 1
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = value_max if value_max is not None else max(step, math.ceil(top / step) * step)
    chart.valueAxis.valueStep = step
    chart.valueAxis.labelTextFormat = format_axis
    chart.valueAxis.labels.fontName, chart.valueAxis.labels.fontSize = FONT, 7
    chart.valueAxis.strokeColor = HexColor(INK)
    chart.valueAxis.visibleGrid = 1
    chart.valueAxis.gridStrokeColor = HexColor("#d0d0d0")
    chart.valueAxis.gridStrokeWidth = 0.4
    chart.barWidth = bar_height
    chart.groupSpacing = gap
    chart.barSpacing = 0
    chart.barLabelFormat = "values"
    if stacked and not inner_labels:  # one label a stack, its total, at the end of the last segment
        totals = [sum(row) for row in zip(*chart.data, strict=True)]
        chart.barLabelArray = [[""] * len(categories) for _ in drawn[:-1]] + [[format_value(t) for t in totals]]
    else:
        chart.barLabelArray = [[_label(v, format_value, inner_labels) for v in s.values] for s in drawn]
    chart.barLabels.fontName, chart.barLabels.fontSize = FONT, 6.5
    if stacked and inner_labels:
        chart.barLabels.boxAnchor = "c"
        chart.barLabels.boxTarget = "mid"
    else:
        chart.barLabels.boxAnchor, chart.barLabels.dx = "w", 3
    for n, colour in enumerate(colours):
        chart.bars[n].fillColor = HexColor(colour)
        chart.bars[n].strokeColor = HexColor(INK) if colour == HIDDEN else white
        chart.bars[n].strokeWidth = 0.5
        if colour == HIDDEN:
            chart.bars[n].strokeDashArray = (2, 1.5)
    if stacked and inner_labels:  # white on the dark half of the scale
        for n in range(len(series)):
            chart.barLabels[n].fillColor = white if n in (3, 4) else HexColor(INK)
    drawing.add(chart)
    drawing.add(String(chart.x + chart.width / 2, 4, axis_title, fontName=FONT, fontSize=7.5, textAnchor="middle",
                       fillColor=HexColor(INK)))
    _legend(drawing, lines, width, height - 10)
    return drawing


def _legend_lines(series: Sequence[Series], colours: Sequence[str], width: float) -> list[list[tuple[str, str, float]]]:
    """The legend's items (name, colour, width taken), in one line, or two when one is too short."""
    if len(series) < 2:
        return []
    items = [(s.name, colour, 11 + _text_width(s.name, 7) + 10) for s, colour in zip(series, colours, strict=False)]
    if sum(w for _, _, w in items) <= width:
        return [items]
    half = (len(items) + 1) // 2
    return [items[:half], items[half:]]


def _legend(drawing, lines, width: float, y: float) -> None:
    """Swatches and names above the chart, right-aligned."""
    from reportlab.graphics.shapes import Rect, String
    from reportlab.lib.colors import HexColor

    for line in lines:
        x = width - sum(w for _, _, w in line)
        for name, colour, w in line:
            drawing.add(Rect(x, y - 1, 8, 8, fillColor=HexColor(colour), strokeColor=HexColor(INK), strokeWidth=0.3,
                             strokeDashArray=(2, 1.5) if colour == HIDDEN else None))
            drawing.add(String(x + 11, y, name, fontName=FONT, fontSize=7, fillColor=HexColor(INK)))
            x += w
        y -= 11


def _formatter(kind: str, lang: str, axis: bool = False) -> Callable[[float], str]:
    if kind == SHARE:
        return lambda v: format_percent(v, 0 if axis else 1, lang)
    if kind == SCORE:
        return lambda v: format_number(v, 1, lang)
    return lambda v: format_number(v, 0, lang)


def _label(value, format_value: Callable[[float], str], inner: bool) -> str:
    if isinstance(value, str):
        return "" if inner else value  # inside stacked bars a hidden part has no width: the legend says it
    if value is None or (inner and value < 0.07):  # a segment too thin for its label inside
        return ""
    return format_value(value)


def number(value) -> float:
    """A value as a bar length: a count, or 0 for a suppression mark or a missing value."""
    return value if isinstance(value, int | float) and not isinstance(value, bool) else 0


def _max(data) -> float:
    return max((v for row in data for v in row), default=0) or 1


def _stacked_max(data) -> float:
    return max((sum(column) for column in zip(*data, strict=True)), default=0) or 1


def _nice_step(top: float) -> float:
    """A round step giving 4 to 10 gridlines up to `top`."""
    raw = top / 5
    power = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            step = factor * power
            return int(step) if step >= 1 and float(step).is_integer() else step
    return 10 * power


def fit_label(text: str, width: float, size: float) -> str:
    """`text`, cut at a word and ended with an ellipsis when wider than `width` points."""
    if _text_width(text, size) <= width:
        return text
    words = text.split()
    while len(words) > 1 and _text_width(" ".join(words) + "…", size) > width:
        words.pop()
    return " ".join(words).rstrip(",;:") + "…"


def _text_width(text: str, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    register_fonts()
    return stringWidth(text, FONT, size)
