"""Vector charts for the briefing: ReportLab graphics rendered to SVG. The only module that
imports ReportLab's graphics.

Labels are measured with ReportLab's metrics of the bundled TrueType Noto Sans SC — the same
font WeasyPrint draws the SVG with — so centred and right-aligned labels land where they
should, and the SVG names only that family (never a fontconfig fallback, which would pick a
JP face: see shared/docs/engine-notes.md). Colours differ in lightness, lines in dash and
marker, so the charts survive black-and-white printing. Geometry uses floats; every number
printed on a chart is formatted by fmt.py from the exact Decimal.
"""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal

from reportlab.graphics import renderPDF, renderSVG
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.pdfbase import pdfmetrics

from ..figures.fmt import Formatter
from .parts import CHART_HEIGHTS, CHART_WIDTH, Chart, industries_height
from .rlfonts import REGULAR as FONT  # the @font-face family in templates/css/fonts.css
from .rlfonts import register_fonts as _register_font  # also makes it ReportLab's default
from .theme import rl_color

YI = Decimal(100_000_000)

def _color(name: str):
    return rl_color(name)

def _svg(drawing: Drawing) -> str:
    svg = renderSVG.drawToString(drawing)
    # ReportLab writes "fill: None"; WeasyPrint knows only lower-case "none" and would fill
    # open polylines black (engine-notes.md).
    svg = svg.replace("fill: None", "fill: none").replace("stroke: None", "stroke: none")
    svg = re.sub(r"<title>.*?</title>\s*<desc>.*?</desc>", "", svg, flags=re.S)
    return svg.replace("font-family: " + FONT, f"font-family: '{FONT}'")

def _chart(name: str, title: str, d: Drawing, labels) -> Chart:
    return Chart(name, title, "", tuple(labels), d.width, d.height, d)

def with_svg(chart: Chart) -> Chart:
    """The chart with its SVG, for HTML (the PDF stamps the drawing instead)."""
    return dataclasses.replace(chart, svg=_svg(chart.drawing))

def draw_on(canvas, chart: Chart) -> None:
    """The chart as one page of ``canvas`` (a page of its own size), vector, in the
    bundled font: the briefing stamps it where the HTML left an empty box for it."""
    canvas.setPageSize((chart.width, chart.height))
    renderPDF.draw(chart.drawing, canvas, 0, 0)
    canvas.showPage()

def _nice_max(value: float) -> tuple[float, float]:
    """A round axis maximum and step for values up to ``value``."""
    if value <= 0:
        return 1.0, 0.25
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10):
        s = step * magnitude
        if value / s <= 6:
            top = s * (int(value / s) + 1)
            return top, s
    return value * 1.2, value / 5

def _value_axis(axis, top, step, fmt: Formatter, size: float) -> None:
    axis.valueMin, axis.valueMax, axis.valueStep = 0, top, step
    axis.labels.fontName, axis.labels.fontSize = FONT, size
    axis.labelTextFormat = lambda v: fmt.number(Decimal(str(round(v, 6))), 2)
    axis.strokeColor = _color("rule")
    axis.visibleGrid = True
    axis.gridStrokeColor = _color("grid")
    axis.gridStrokeWidth = 0.4

def _legend(x: float, y: float, items) -> Legend:
    legend = Legend()
    legend.x, legend.y = x, y
    legend.fontName, legend.fontSize = FONT, 8
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.boxAnchor = "ne"
    legend.deltax = 70
    legend.dx, legend.dy = 10, 6
    legend.colorNamePairs = items
    legend.strokeWidth = 0
    return legend

def regions_chart(names: list[str], signed: list[Decimal], funds: list[Decimal],
                  fmt: Formatter, width: float = CHART_WIDTH,
                  height: float = CHART_HEIGHTS["regions"], area_word: str = "市州") -> Chart:
    """Grouped columns per 市州: 签约金额 (dark) and 到位资金 (light), in 亿元."""
    _register_font()
    d = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 38, 28, width - 48, height - 62
    values = [[float(v / YI) for v in signed], [float(v / YI) for v in funds]]
    top, step = _nice_max(max([0.0] + values[0] + values[1]))
    chart.data = values
    chart.categoryAxis.categoryNames = names
    chart.categoryAxis.labels.fontName, chart.categoryAxis.labels.fontSize = FONT, 8.5
    chart.categoryAxis.labels.dy = -2
    chart.categoryAxis.strokeColor = _color("rule")
    _value_axis(chart.valueAxis, top, step, fmt, 7.5)
    chart.bars[0].fillColor = _color("chart_dark")
    chart.bars[1].fillColor = _color("chart_light")
    chart.bars.strokeWidth = 0
    chart.barSpacing, chart.groupSpacing = 1, 8
    labels = [[fmt.amount_in(v, trim=True, decimals=0 if v >= 100 * YI else 1) for v in signed],
              [fmt.amount_in(v, trim=True, decimals=0 if v >= 100 * YI else 1) for v in funds]]
    chart.barLabelFormat = "values"  # print barLabelArray, our Decimal-formatted strings
    chart.barLabelArray = labels
    chart.barLabels.fontName, chart.barLabels.fontSize = FONT, 6.5
    chart.barLabels.nudge = 5
    chart.barLabels.fillColor = _color("text")
    d.add(chart)
    d.add(String(6, height - 14, "亿元", fontName=FONT, fontSize=8, fillColor=_color("muted")))
    d.add(_legend(width - 4, height - 4, [(_color("chart_dark"), "签约金额"),
                                          (_color("chart_light"), "到位资金")]))
    texts = tuple(names) + ("亿元", "签约金额", "到位资金") + tuple(labels[0] + labels[1])
    return _chart("regions", f"分{area_word}签约金额和到位资金", d, texts)

def industries_chart(names: list[str], shares: list[Decimal | None], fmt: Formatter,
                     width: float = CHART_WIDTH, height: float | None = None) -> Chart:
    """Horizontal bars: each industry's share of the signed amount, largest first."""
    _register_font()
    rows = len(names)
    height = height or industries_height(rows)
    d = Drawing(width, height)
    chart = HorizontalBarChart()
    label_w = max(pdfmetrics.stringWidth(n, FONT, 8.5) for n in names) + 8 if names else 40
    chart.x, chart.y = label_w, 8
    chart.width, chart.height = width - label_w - 48, height - 16
    values = [float(s or 0) * 100 for s in shares]
    chart.data = [values[::-1]]  # ReportLab draws the first category at the bottom
    chart.categoryAxis.categoryNames = names[::-1]
    chart.categoryAxis.labels.fontName, chart.categoryAxis.labels.fontSize = FONT, 8.5
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    chart.categoryAxis.strokeColor = _color("rule")
    chart.categoryAxis.tickLeft = 0
    chart.valueAxis.visible = False
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max(values + [1]) * 1.02
    chart.bars[0].fillColor = _color("chart_dark")
    chart.bars.strokeWidth = 0
    chart.barWidth = 10
    labels = [fmt.percent(s, trim=False) for s in shares]
    chart.barLabelFormat = "values"
    chart.barLabelArray = [labels[::-1]]
    chart.barLabels.fontName, chart.barLabels.fontSize = FONT, 8
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 4
    chart.barLabels.fillColor = _color("text")
    d.add(chart)
    return _chart("industries", "各产业签约金额占比", d, tuple(names) + tuple(labels))

def _line_legend(d, right: float, y: float, items) -> None:
    """A legend that shows each series as it is drawn: its line (solid or dashed) with its
    marker, then the label; right-aligned at ``right``."""
    x = right
    for line, marker, label in reversed(items):
        x -= pdfmetrics.stringWidth(label, FONT, 8)
        d.add(String(x, y - 3, label, fontName=FONT, fontSize=8, fillColor=_color("text")))
        x -= 24
        d.add(Line(x, y, x + 20, y, strokeColor=line.strokeColor, strokeWidth=line.strokeWidth,
                   strokeDashArray=getattr(line, "strokeDashArray", None)))
        symbol = makeMarker(marker["kind"], size=marker["size"], fillColor=marker["fill"],
                            strokeColor=marker.get("stroke"), strokeWidth=1)
        symbol.x, symbol.y = x + 10, y
        d.add(symbol)
        x -= 12


def trend_chart(this_year: list[Decimal | None], last_year: list[Decimal | None], year: int,
                fmt: Formatter, width: float = CHART_WIDTH,
                height: float = CHART_HEIGHTS["trend"]) -> Chart:
    """Monthly funds: this year (solid, dark, filled dots) against last year (dashed, grey,
    hollow squares), in 亿元; last year left out when it has no figures at all."""
    _register_font()
    d = Drawing(width, height)
    chart = HorizontalLineChart()
    chart.x, chart.y, chart.width, chart.height = 38, 26, width - 48, height - 60
    now = [None if v is None else float(v / YI) for v in this_year]
    before = [None if v is None else float(v / YI) for v in last_year]
    has_before = any(v is not None for v in before)
    known = [v for v in now + before if v is not None]
    top, step = _nice_max(max([0.0] + known))
    chart.data = [before, now] if has_before else [now]
    months = [f"{m}月" for m in range(1, 13)]
    chart.categoryAxis.categoryNames = months
    chart.categoryAxis.labels.fontName, chart.categoryAxis.labels.fontSize = FONT, 8
    chart.categoryAxis.strokeColor = _color("rule")
    _value_axis(chart.valueAxis, top, step, fmt, 7.5)
    chart.joinedLines = 1
    styles = []
    if has_before:
        styles.append((_color("chart_grey"), 1.2, (4, 3),
                       {"kind": "Square", "size": 4.5, "fill": _color("white"),
                        "stroke": _color("chart_grey")}, f"{year - 1}年"))
    styles.append((_color("chart_dark"), 2, None,
                   {"kind": "FilledCircle", "size": 5, "fill": _color("chart_dark")},
                   f"{year}年"))
    for i, (color, stroke, dash, marker, _) in enumerate(styles):
        chart.lines[i].strokeColor = color
        chart.lines[i].strokeWidth = stroke
        if dash:
            chart.lines[i].strokeDashArray = dash
        chart.lines[i].symbol = makeMarker(marker["kind"], size=marker["size"],
                                           fillColor=marker["fill"],
                                           strokeColor=marker.get("stroke"), strokeWidth=1)
    d.add(chart)
    d.add(String(6, height - 14, "亿元", fontName=FONT, fontSize=8, fillColor=_color("muted")))
    _line_legend(d, width - 4, height - 10,
                 [(chart.lines[i], marker, label)
                  for i, (_, _, _, marker, label) in reversed(list(enumerate(styles)))])
    return _chart("trend", "月度到位资金走势", d,
                  tuple(months) + ("亿元",) + tuple(label for *_, label in reversed(styles)))
