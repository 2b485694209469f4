"""The 附表 ledger typeset with ReportLab: 15–20× faster than WeasyPrint's table layout
for long tables (shared/docs/engine-notes.md), and looking the same: the same Noto Sans SC
(TrueType), sizes, colours, header band, rules, zebra rows and column widths, all from the
shared theme.

The ledger is drawn into the text block of the 附表 pages only (no page furniture): the
briefing lays out one placeholder page per ledger page in WeasyPrint, which draws the
heading, the running footer and page numbers, and these pages are stamped onto them
(placement.py, pdf/stamp.py).

Text from data reaches ReportLab as plain strings, never markup: ``Paragraph`` parses tags,
and a ``<img src=...>`` in a project name would make it read a file. Cells are wrapped here
(CJK breaks between any two characters, closing punctuation never starts a line, Latin words
and numbers stay whole) and drawn as multi-line strings, which is also several times faster
than Paragraph. The header row repeats on every page; a row is never split across pages.

Two steps: ``paginate`` (pure Python, widths from fonts/metrics.json: every cell wrapped, every
row measured, the page breaks decided) and ``draw`` (ReportLab). The briefing's HTML needs only
the first — how many placeholder pages, how high the last — so the layout starts while
ReportLab is still drawing.
"""

from __future__ import annotations

import dataclasses
import re
from contextlib import contextmanager
from dataclasses import dataclass, field

from .metrics import widths as advance_widths
from .parts import LedgerLayout
from .theme import THEME, rl_color

MM = 72 / 25.4
# each header cell as its lines; the amount columns carry their unit
HEADER = (("序号",), ("项目名称",), ("市州",), ("产业",), ("投资方",), ("签约日期",),
          ("签约金额", "（亿元）"), ("到位资金", "（亿元）"))
ALIGN = ("c", "l", "c", "l", "l", "c", "r", "r")
FIXED = (0, 2, 5, 6, 7)  # never wrapped: 序号, 市州, dates and amounts, as wide as their widest
NAME, INDUSTRY, INVESTOR = 1, 3, 4
NO_LINE_START = set("，。、；：？！）》」』】〕”’…%·,.;:?!)]}")
# a unit is never broken unless longer than the column: a Latin word or number, a short
# bracketed group (（二期）), or one character
_UNIT = re.compile(r"[（(〔【][^（）()〔〕【】]{1,4}[）)〕】]|[A-Za-z0-9][A-Za-z0-9.\-_/]*|.", re.S)


class _Widths(dict):
    """Width (pt) of each character in one face at one size, as ReportLab measures it."""

    def __init__(self, face: str, size: float):
        super().__init__()
        self.table, self.default = advance_widths(face)
        self.scale = size / 1000

    def __missing__(self, ch: str) -> float:
        w = self[ch] = self.table.get(ord(ch), self.default) * self.scale
        return w

    def of(self, text: str) -> float:
        return sum(map(self.__getitem__, text))


def _greedy(units: list[str], unit_widths: list[float], widths: _Widths, width: float
            ) -> list[str]:
    lines, line, used = [], "", 0.0
    for unit, w in zip(units, unit_widths):
        if line and used + w > width and unit[0] not in NO_LINE_START:
            lines.append(line.rstrip())
            line, used = "", 0.0
            if unit == " ":
                continue
        if w > width and len(unit) > 1:  # a unit longer than the column: break it
            for c in unit:
                if line and used + widths[c] > width and c not in NO_LINE_START:
                    lines.append(line)
                    line, used = "", 0.0
                line += c
                used += widths[c]
            continue
        line += unit
        used += w
    lines.append(line.rstrip())
    return lines


def wrap(text: str, widths: _Widths, width: float) -> str:
    """Lines that fit ``width``, joined by newlines: CJK breaks between any two characters,
    closing punctuation never starts a line, Latin words, numbers and short bracketed groups
    stay whole — and the lines are balanced: a wrapped cell takes the narrowest width that
    needs no more lines, so no lone "目" or "公司" is left on a line of its own."""
    text = " ".join(text.split())
    if widths.of(text) <= width:
        return text
    units = _UNIT.findall(text)
    unit_widths = [widths.of(unit) for unit in units]  # measured once, tried ten times
    lines = _greedy(units, unit_widths, widths, width)
    low, high = widths.of(text) / len(lines), width  # balance: the narrowest, same count
    for _ in range(8):  # to within 1/256 of the slack: a fraction of a point
        middle = (low + high) / 2
        if len(_greedy(units, unit_widths, widths, middle)) <= len(lines):
            high = middle
        else:
            low = middle
    return "\n".join(_greedy(units, unit_widths, widths, high))


def column_widths(header: list, rows: list, total: tuple, regular: _Widths, bold: _Widths,
                  width: float, pad: float) -> list[float]:
    """Widths (pt) from the content: 序号, 市州, dates and amounts as wide as their widest
    cell (never wrapped: no "297|4"); 产业, 项目名称 and 投资方 share the rest where the fewest
    rows wrap (产业 at least wide enough for its longest name in two balanced lines)."""
    n = len(header)
    natural = [max(bold.of(line) for line in h) for h in header]
    for row in rows:
        for i in FIXED:
            natural[i] = max(natural[i], regular.of(row[i]))
    for i in FIXED:
        if total[i]:
            natural[i] = max(natural[i], bold.of(total[i]))
    widths = [0.0] * n
    for i in FIXED:
        widths[i] = natural[i] + 2 * pad + 0.5
    room = width - sum(widths)
    step = max(1, len(rows) // 600)  # long ledgers: every k-th row decides, as well
    cells = [(regular.of(r[NAME]), regular.of(r[INDUSTRY]), regular.of(r[INVESTOR]))
             for r in rows[::step]]
    cells.append((bold.of(total[NAME]), 0.0, 0.0))
    half = max((regular.of(r[INDUSTRY][:(len(r[INDUSTRY]) + 1) // 2]) for r in rows), default=0)
    industry = sorted({half, *(d for _, d, _ in cells if d > half)})
    least = max(bold.of(header[NAME][0]), bold.of(header[INVESTOR][0])) + 2 * pad
    best = None
    for inner_d in industry:
        industry_w = max(bold.of(header[INDUSTRY][0]), inner_d) + 2 * pad + 0.5
        rest = room - industry_w
        if rest < 2 * least:
            continue
        steps = 60
        for k in range(steps + 1):
            name_w = least + (rest - 2 * least) * k / steps
            inner_n, inner_i = name_w - 2 * pad, rest - name_w - 2 * pad
            wrapped = sum(1 for a, d, v in cells if a > inner_n or d > inner_d or v > inner_i)
            score = (wrapped, abs(name_w / rest - 0.55))
            if best is None or score < best[0]:
                best = (score, industry_w, name_w, rest - name_w)
    if best is None:  # pathological (huge amounts): fall back to the theme's shares
        return [width * w / 100 for w in THEME.ledger_columns]
    _, widths[INDUSTRY], widths[NAME], widths[INVESTOR] = best
    return widths


def frame_geometry():
    """(x, width, bottom, full height, first-page height) in points. x is centred between
    the odd- and even-page margins; placement.ledger_shift moves each page to its binding side."""
    t = THEME
    x = (t.margin_left + t.margin_right) / 2 * MM
    width = t.text_width * MM
    bottom = t.margin_bottom * MM
    full = (t.page_height - t.margin_top - t.margin_bottom) * MM
    return x, width, bottom, full, full - t.ledger_heading * MM


@dataclass
class Pagination:
    """The ledger laid out, not yet drawn: every cell's lines, every row's height, the
    first row of each page."""

    header: list  # lines per header cell
    header_h: float
    rows: list  # (lines per cell, height)
    total: tuple
    starts: list = field(default_factory=list)  # index of the first row on each page
    col_widths: list = field(default_factory=list)  # pt
    total_on_new_page: bool = False
    last_height: float = 0.0  # pt used on the last page, from the frame top

    @property
    def pages(self) -> int:
        return len(self.starts) + (1 if self.total_on_new_page else 0)

    def layout(self, first_page: int = 0) -> LedgerLayout:
        return LedgerLayout(first_page, self.pages, self.last_height / MM)


def _style():
    size = THEME.ledger_size
    return size, size * 1.3, 1 * MM, 0.8 * MM  # size, leading, horizontal, vertical padding


def paginate(rows: list[tuple[str, ...]], total: tuple[str, ...], area_word: str = "市州"
             ) -> Pagination:
    """rows: already formatted cell texts (序号 … 到位资金); total: the 合计 row. A row that
    does not fit the rest of a page starts the next one, under a repeated header."""
    size, leading, pad_x, pad_y = _style()
    _, width, bottom, full, first = frame_geometry()
    regular, bold = _Widths("regular", size), _Widths("bold", size)
    header_lines = [h if h != ("市州",) else (area_word,) for h in HEADER]
    col_widths = column_widths(header_lines, rows, total, regular, bold, width, pad_x)

    def cells(texts, metrics):
        lines = [wrap(text, metrics, w - 2 * pad_x).split("\n")
                 for text, w in zip(texts, col_widths)]
        return lines, max(len(c) for c in lines) * leading + 2 * pad_y

    header = [list(h) for h in header_lines]
    header_h = max(len(h) for h in header) * leading + 2 * pad_y
    measured = [cells(row, regular) for row in rows]
    total_cells = cells(total, bold)
    p = Pagination(header, header_h, measured, total_cells, starts=[0], col_widths=col_widths)
    y = first - header_h  # room left on the page, from the frame bottom
    for index, (_, h) in enumerate(measured):
        if h > y and index > p.starts[-1]:
            p.starts.append(index)
            y = full - header_h
        y -= h
    if total_cells[1] > y:
        p.total_on_new_page = True
        y = full - header_h
    if len(p.starts) > 1 or p.total_on_new_page:
        y = _no_widows(p, full - header_h, total_cells[1])
    y -= total_cells[1]
    top = first if p.pages == 1 else full
    p.last_height = top - y
    return p


WIDOW_ROWS = 4  # the last page of a ledger carries at least this many rows with the 合计


def _no_widows(p: Pagination, room: float, total_h: float) -> float:
    """No last page with one or two rows and the 合计 alone: rows move over from the page
    before until the last page carries WIDOW_ROWS of them (while they fit). Returns the room
    left on the last page before the 合计."""
    if p.total_on_new_page:  # the 合计 alone: start the last page earlier
        p.total_on_new_page = False
        p.starts.append(len(p.rows))
    first_prev = p.starts[-2] if len(p.starts) > 1 else 0
    start = p.starts[-1]
    while (len(p.rows) - start < WIDOW_ROWS and start - 1 > first_prev
           and sum(h for _, h in p.rows[start - 1:]) + total_h <= room):
        start -= 1
    if start == len(p.rows):  # nothing could move: the 合计 stays alone after all
        p.starts.pop()
        p.total_on_new_page = True
        return room
    p.starts[-1] = start
    return room - sum(h for _, h in p.rows[start:])


def footer_kit(c) -> dict:
    """One more page, never stamped, with the characters of the running footer ("— 12 —")
    in the footer's face (the sans: the same file WeasyPrint draws the footer with), so that
    the font subset ReportLab embeds holds them; returns where: the page, and for each
    character its (font resource, code) runs and its advance at 1 pt. With it, the footers of
    the ledger pages inserted after layout (placement.py) are text in the same face at the
    same places as WeasyPrint's, without ReportLab in the parent process."""
    from reportlab.pdfbase import pdfmetrics

    from .rlfonts import REGULAR

    page = c.getPageNumber() - 1
    c.setFont(REGULAR, 14)
    c.drawString(0, 0, FOOTER_CHARS)
    c.showPage()
    font = pdfmetrics.getFont(REGULAR)
    codes = {ch: tuple((font.getSubsetInternalName(subset, c._doc), code)
                       for subset, code in font.splitString(ch, c._doc))
             for ch in FOOTER_CHARS}
    widths = {ch: pdfmetrics.stringWidth(ch, REGULAR, 1) for ch in FOOTER_CHARS}
    return {"page": page, "codes": codes, "widths": widths}


FOOTER_CHARS = "— 0123456789"


def draw(c, p: Pagination, tagged: bool = False, kit: bool = False) -> LedgerLayout:
    """Draw a paginated ledger on A4 pages of the canvas ``c`` (see rlfonts.canvas).
    ``tagged``: for a tagged PDF, each cell's text in its own marked-content sequence
    (/TH or /TD << /MCID n >>, numbered per page) and the bands and rules marked as
    artifacts; the layout's ``cells`` then say which MCID is which cell of which row on each
    page, for the structure tree (pdf/structure.py). ``kit``: the footer's characters on a
    page after the ledger (footer_kit)."""

    from .rlfonts import BOLD, REGULAR, register_fonts

    register_fonts()
    t = THEME
    size, leading, pad_x, pad_y = _style()
    baseline = (leading - size) / 2 + size * 0.86  # from the top of a line to its baseline
    x0, width, bottom, full, first = frame_geometry()
    col_widths = p.col_widths
    lefts = [x0 + sum(col_widths[:i]) for i in range(len(col_widths))]
    text_color, rule = rl_color("text"), rl_color("rule")
    light_rule, band, zebra = rl_color("light_rule"), rl_color("band"), rl_color("zebra")
    first_page = c.getPageNumber() - 1
    c.setPageSize((t.page_width * MM, t.page_height * MM))
    pages: list = [[]]  # per page, per row: the (tag, MCID) of each cell
    mcids = [0]  # the next MCID on this page

    @contextmanager
    def marked(operator: str):
        """What is drawn inside, as one marked-content sequence (for a tagged PDF only)."""
        if tagged:
            c._code.append(operator)
        yield
        if tagged:
            c._code.append("EMC")

    def new_page():
        c.showPage()
        pages.append([])
        mcids[0] = 0

    def draw_cells(lines, top, font, centred=False, tag="TD"):
        c.setFont(font, size)
        c.setFillColor(text_color)
        row = []
        for col, cell in enumerate(lines):
            kind = "c" if centred else ALIGN[col]
            row.append((tag, mcids[0]))
            with marked(f"/{tag} <</MCID {mcids[0]}>> BDC"):
                for n, line in enumerate(cell):
                    y = top - pad_y - n * leading - baseline
                    if kind == "l":
                        c.drawString(lefts[col] + pad_x, y, line)
                    elif kind == "r":
                        c.drawRightString(lefts[col] + col_widths[col] - pad_x, y, line)
                    else:
                        c.drawCentredString(lefts[col] + col_widths[col] / 2, y, line)
            mcids[0] += 1
        pages[-1].append(row)

    def rule_at(y, colour, line_width):
        with marked("/Artifact BMC"):
            c.setStrokeColor(colour)
            c.setLineWidth(line_width)
            c.line(x0, y, x0 + width, y)

    def draw_header(top):
        with marked("/Artifact BMC"):
            c.setFillColor(band)
            c.rect(x0, top - p.header_h, width, p.header_h, stroke=0, fill=1)
        most = max(len(h) for h in p.header)  # centre shorter header cells vertically
        draw_cells([[""] * ((most - len(h)) // 2) + h for h in p.header], top, BOLD, True,
                   tag="TH")
        rule_at(top, rule, 1)
        rule_at(top - p.header_h, rule, 0.6)
        return top - p.header_h

    starts = set(p.starts[1:])
    y = draw_header(bottom + first)
    for index, (lines, h) in enumerate(p.rows):
        if index in starts:
            new_page()
            y = draw_header(bottom + full)
        if index % 2 == 0:
            with marked("/Artifact BMC"):
                c.setFillColor(zebra)
                c.rect(x0, y - h, width, h, stroke=0, fill=1)
        draw_cells(lines, y, REGULAR)
        y -= h
        if index < len(p.rows) - 1 and index + 1 not in starts:
            rule_at(y, light_rule, 0.3)
    if p.total_on_new_page:
        new_page()
        y = draw_header(bottom + full)
    lines, h = p.total
    rule_at(y, rule, 0.6)
    draw_cells(lines, y, BOLD)
    y -= h
    rule_at(y, rule, 1)
    c.showPage()
    layout = p.layout(first_page)
    if kit:
        layout = dataclasses.replace(layout, kit=footer_kit(c))
    if tagged:
        layout = dataclasses.replace(layout, cells=tuple(
            tuple(tuple(row) for row in page) for page in pages))
    return layout
