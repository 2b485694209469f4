"""The 附表 ledger typeset with ReportLab: 15–20× faster than WeasyPrint's table layout
for long tables (shared/docs/engine-notes.md), and looking the same: the same Noto Sans SC
(TrueType), sizes, colours, header band, rules, zebra rows and column widths, all from the
shared theme.

The ledger is drawn into the text block of the 附表 pages only (no page furniture): the
briefing lays out one placeholder page per ledger page in WeasyPrint, which draws the
heading, the running footer and page numbers, and assemble.py stamps these pages onto them.

Text from data reaches ReportLab as plain strings, never markup: ``Paragraph`` parses tags,
and a ``<img src=...>`` in a project name would make it read a file. Cells are wrapped here
(CJK breaks between any two characters, closing punctuation never starts a line, Latin words
and numbers stay whole) and drawn as multi-line strings, which is also several times faster
than Paragraph. The header row repeats on every page; a row is never split across pages.
"""

from __future__ import annotations

import re

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from .parts import LedgerLayout
from .rlfonts import BOLD, REGULAR, register_fonts
from .theme import THEME

HEADER = ("序号", "项目名称", "市州", "产业", "投资方", "签约日期", "签约金额", "到位资金")
NO_LINE_START = set("，。、；：？！）》」』】〕”’…%·,.;:?!)]}")
_UNIT = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-_/]*|.", re.S)


class _Widths(dict):
    """Width of each character at one font and size, measured once."""

    def __init__(self, font: str, size: float):
        super().__init__()
        self.font, self.size = font, size

    def __missing__(self, ch: str) -> float:
        w = self[ch] = stringWidth(ch, self.font, self.size)
        return w


def wrap(text: str, widths: _Widths, width: float) -> str:
    """Lines that fit ``width``, joined by newlines."""
    text = " ".join(text.split())
    lines, line, used = [], "", 0.0
    for unit in _UNIT.findall(text):
        w = sum(widths[c] for c in unit)
        if line and used + w > width and unit[0] not in NO_LINE_START:
            lines.append(line.rstrip())
            line, used = "", 0.0
            if unit == " ":
                continue
        if w > width and len(unit) > 1:  # a Latin run longer than the column: break it
            for c in unit:
                if line and used + widths[c] > width:
                    lines.append(line)
                    line, used = "", 0.0
                line += c
                used += widths[c]
            continue
        line += unit
        used += w
    lines.append(line.rstrip())
    return "\n".join(lines)


def frame_geometry():
    """(x, width, bottom, full height, first-page height) in points. x is centred between
    the odd- and even-page margins; assemble.py shifts each page to its binding side."""
    t = THEME
    x = (t.margin_left + t.margin_right) / 2 * mm
    width = t.text_width * mm
    bottom = t.ledger_margin_bottom * mm
    full = (t.page_height - t.ledger_margin_top - t.ledger_margin_bottom) * mm
    return x, width, bottom, full, full - t.ledger_heading * mm


def typeset(c, rows: list[tuple[str, ...]], total: tuple[str, ...], area_word: str = "市州"
            ) -> LedgerLayout:
    """Draw the ledger on A4 pages of the canvas ``c`` (see rlfonts.canvas). rows: already
    formatted cell texts (序号 … 到位资金); total: the 合计 row.

    Drawn straight on the canvas with its own pagination: every row's height follows from
    its wrapped line count, so a page holds exactly the rows that fit, the header is drawn
    again at the top of every page and no row is split. (platypus' Table does the same in
    several times the time.)"""
    register_fonts()
    t = THEME
    size = t.ledger_size
    leading = size * 1.3
    pad_x, pad_y = 1 * mm, 0.8 * mm
    baseline = (leading - size) / 2 + size * 0.86  # from the top of a line to its baseline
    x0, width, bottom, full, first = frame_geometry()
    widths = [width * w / 100 for w in t.ledger_columns]
    lefts = [x0 + sum(widths[:i]) for i in range(len(widths))]
    align = ("c", "l", "c", "l", "l", "c", "r", "r")
    regular, bold = _Widths(REGULAR, size), _Widths(BOLD, size)

    def cells(texts, metrics):
        lines = [wrap(text, metrics, w - 2 * pad_x).split("\n") for text, w in zip(texts, widths)]
        return lines, max(len(c) for c in lines) * leading + 2 * pad_y

    header, header_h = cells([h if h != "市州" else area_word for h in HEADER], bold)
    text_color = colors.HexColor(t.text)
    rule = colors.HexColor(t.rule)
    light_rule = colors.HexColor("#c8c8c8")
    band = colors.HexColor(t.band)
    zebra = colors.HexColor(t.zebra)

    first_page = c.getPageNumber() - 1
    c.setPageSize((t.page_width * mm, t.page_height * mm))

    def draw_cells(lines, top, font, fills_header=False):
        c.setFont(font, size)
        c.setFillColor(text_color)
        for col, cell in enumerate(lines):
            kind = "c" if fills_header else align[col]
            for n, line in enumerate(cell):
                y = top - pad_y - n * leading - baseline
                if kind == "l":
                    c.drawString(lefts[col] + pad_x, y, line)
                elif kind == "r":
                    c.drawRightString(lefts[col] + widths[col] - pad_x, y, line)
                else:
                    c.drawCentredString(lefts[col] + widths[col] / 2, y, line)

    def draw_header(top):
        c.setFillColor(band)
        c.rect(x0, top - header_h, width, header_h, stroke=0, fill=1)
        most = max(len(h) for h in header)  # centre shorter header cells vertically
        lines = [[""] * ((most - len(h)) // 2) + h for h in header]
        draw_cells(lines, top, BOLD, fills_header=True)
        c.setStrokeColor(rule)
        c.setLineWidth(1)
        c.line(x0, top, x0 + width, top)
        c.setLineWidth(0.6)
        c.line(x0, top - header_h, x0 + width, top - header_h)
        return top - header_h

    page = 1
    top = bottom + first
    y = draw_header(top)
    for index, row in enumerate(rows):
        lines, h = cells(row, regular)
        if y - h < bottom:
            c.showPage()
            page += 1
            top = bottom + full
            y = draw_header(top)
        if index % 2 == 0:
            c.setFillColor(zebra)
            c.rect(x0, y - h, width, h, stroke=0, fill=1)
        draw_cells(lines, y, REGULAR)
        y -= h
        if index < len(rows) - 1:
            c.setStrokeColor(light_rule)
            c.setLineWidth(0.3)
            c.line(x0, y, x0 + width, y)
    lines, h = cells(total, bold)
    if y - h < bottom:
        c.showPage()
        page += 1
        top = bottom + full
        y = draw_header(top)
    c.setStrokeColor(rule)
    c.setLineWidth(0.6)
    c.line(x0, y, x0 + width, y)
    draw_cells(lines, y, BOLD)
    y -= h
    c.setLineWidth(1)
    c.line(x0, y, x0 + width, y)
    c.showPage()
    return LedgerLayout(first_page, page, (top - y) / mm)
