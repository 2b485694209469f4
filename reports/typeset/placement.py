"""Where ReportLab's pages go on WeasyPrint's: the contract between the briefing's HTML —
an empty box per chart, one placeholder block per ledger page — and the one ReportLab PDF
that draws them (a page per chart, then the ledger's pages).

The ledger's text block is laid out centred between the two margins and each page shifted to
its own binding side (GB/T 9704: 28 mm on the left of odd pages, on the right of even
pages); a chart goes where its empty box is. Stamping itself is pdf/stamp.py.

A long ledger's middle pages are not laid out at all (issue 21: WeasyPrint took about 5 ms a
blank placeholder page, and as much again to write it): of N ledger pages, the first and the
last (and one more when N is odd) are laid out, and the GAP pages between are inserted into
the PDF afterwards — an even number of them, so that every later page keeps its side. An
@page rule (gap_css) moves the page counter past them; the inserted pages get the ledger's
drawing, their own structure elements, and a running footer drawn in the face, size, colour
and place of WeasyPrint's own (gap_footers: read from the laid-out pages), as text from the
font subset ReportLab embedded (ledger.footer_kit). Only with GB/T 9704's "— N —" footers: a
"共M页" total would change on every page. If the template's markup or footer is not the
expected one, everything is laid out, as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import ReportError
from .theme import THEME

MM = 72 / 25.4
PX = 0.75  # a CSS px in pt


def ledger_shift(page_index: int) -> float:
    """Horizontal offset (pt) of a ledger page laid out between the mean margins."""
    centre = (THEME.margin_left + THEME.margin_right) / 2
    odd = (page_index + 1) % 2 == 1
    return ((THEME.margin_left if odd else THEME.margin_right) - centre) * MM


def colophon_move(document) -> str | None:
    """Where the 版记 must go after the first layout (GB/T 9704 §7.4.1: on the last page, an
    even one, at the foot of the type area): None when it is already on an even page (or the
    template has none); "even" when it shares an odd page with text (it moves to the next
    page); "bare" when it stands alone on an odd page (that page stays blank, and neither it
    nor the 版记 page is numbered, §7.5)."""
    page_of = {}
    for index, page in enumerate(document.pages):
        for name in ("colophon", "text-end"):
            if name in page.anchors:
                page_of[name] = index + 1
    page = page_of.get("colophon")
    if page is None or page % 2 == 0:
        return None
    return "bare" if page_of.get("text-end", page) < page else "even"


def check_colophon(document) -> None:
    """After the second layout: the 版记 on the last page, an even one."""
    pages = len(document.pages)
    found = [i + 1 for i, p in enumerate(document.pages) if "colophon" in p.anchors]
    if found and (found[0] != pages or pages % 2):
        raise ReportError(f"版记排在第{found[0]}页（共{pages}页），应在最后一页且为偶数页"
                          "（模板中的 colophon-block 是否被改动？）")


def box_origin(page_height_pt: float, anchor: tuple, height_pt: float) -> tuple[float, float]:
    """PDF origin (bottom-left, pt) of a box from WeasyPrint's anchor (CSS px, top-left)."""
    x1, y1 = anchor[0], anchor[1]
    return x1 * PX, page_height_pt - y1 * PX - height_pt


def placeholders(layout) -> list[float]:
    """Heights (mm) of the placeholder blocks, one per ledger page: a full text block less a
    millimetre (so each surely fits its page), the used height on the last page."""
    from .ledger import frame_geometry

    _, _, _, full, first = frame_geometry()
    heights = [(first if i == 0 else full) / MM - 1 for i in range(layout.pages - 1)]
    return heights + [layout.last_height_mm + 0.5]


def gap_size(ledger_pages: int) -> int:
    """How many ledger pages are inserted after layout: all but the first and the last, less
    one if that is odd (the number must be even: see the module's docstring)."""
    return max(0, (ledger_pages - 2) // 2 * 2)


_PLACEHOLDERS = re.compile(r'(?:<article class="ph" id="ledger-page-\d+" style="[^"<>]*">'
                           r'</article>\s*)+')


def elide(html: str, gap: int) -> str | None:
    """The briefing's HTML without the placeholders of ledger pages 2 … gap + 1; None when
    the template's markup is not ours (templates/briefing/sections/ledger.html)."""
    first = html.find('<article class="ph" id="ledger-page-2"')
    after = html.find(f'<article class="ph" id="ledger-page-{gap + 2}"')
    if gap <= 0 or first < 0 or after < first or not _PLACEHOLDERS.fullmatch(html, first, after):
        return None
    return html[:first] + html[after:]


def gap_css(gap: int) -> str:
    """The page after the gap (the second page of the ledger's page group, its section being
    ``page: ledger``) numbered as if the gap's pages had been laid out."""
    return f"@page :nth(2 of ledger) {{ counter-increment: page {gap + 1} }}"


@dataclass(frozen=True)
class GapFooters:
    """The running footer of the pages inserted after the first ledger page."""

    pages: int  # how many: gap_size
    after: int  # 0-based index, in the laid-out document, of the first ledger page
    number: int  # its page number
    prefix: str  # the footer's text around the number ("— ", " —")
    suffix: str
    # per corner: left edge (left) or right edge (right), and baseline; pt from bottom-left
    places: dict
    size: float  # pt
    rgb: tuple


def gap_footers(document, gap: int) -> GapFooters | None:
    """How to number the ``gap`` pages to insert after the first ledger page, read from
    WeasyPrint's layout — None unless it is all as expected: the page after the first ledger
    page is the one after the gap, numbered ``gap + 1`` higher (gap_css took effect); the
    footers stand in the bottom corners, are "— N —" in the sans, in one size and colour,
    on some page of each side."""
    from .ledger import FOOTER_CHARS
    from .render import corner_footers

    index = {a: i for i, p in enumerate(document.pages) for a in p.anchors
             if a.startswith("ledger-page-")}
    first = index.get("ledger-page-1")
    if first is None or index.get(f"ledger-page-{gap + 2}") != first + 1:
        return None
    page_height = THEME.page_height * MM
    places: dict[str, list] = {}
    looks, number = set(), []
    for i, page in enumerate(document.pages):
        for f in corner_footers(page):
            m = re.fullmatch(r"(\D*)(\d+)(\D*)", f["text"])
            if not m or not set(m[1] + m[3]) <= set(FOOTER_CHARS):
                return None
            looks.add((m[1], m[3], f["family"][:1], f["weight"], f["style"], f["size"],
                       f["color"]))
            edge = f["x"] + (f["width"] if f["corner"] == "right" else 0)
            places.setdefault(f["corner"], []).append(
                (edge * PX, page_height - f["baseline"] * PX))
            if i in (first, first + 1):
                number.append((int(m[2]), f["corner"]))
    spread = max((max(p[k] for p in ps) - min(p[k] for p in ps)
                  for ps in places.values() for k in (0, 1)), default=0)
    if len(looks) != 1 or len(number) != 2 or spread > 0.01:
        return None
    (prefix, suffix, family, weight, style, size, color), = looks
    (first_number, _), (next_number, _) = number
    if (family != (THEME.sans,) or weight != 400 or style != "normal" or color[3] != 1
            or next_number != first_number + gap + 1 or set(places) != {"left", "right"}):
        return None
    return GapFooters(gap, first, first_number, prefix, suffix,
                      {c: p[0] for c, p in places.items()}, size * PX, color[:3])


def stamp_drawings(pdf: bytes, anchors: list[dict], charts: dict, layout, rl_pdf: bytes,
                   alts: dict | None = None, mark: bool = False,
                   gap: GapFooters | None = None) -> bytes:
    """Put the ReportLab pages where WeasyPrint made room for them: chart i is page i of
    ``rl_pdf``, the ledger's pages follow. ``anchors``: per page of WeasyPrint's layout, the
    anchors of the boxes on it (``chart-…``, ``ledger-page-N``). In a tagged
    PDF, ``alts`` (chart name → its box's alt text) say which /Figure a chart's drawing
    belongs to, and the ledger's pages become tables (pdf/structure.py). ``mark``: the body
    text's lines marked in the same pass (render.to_pdf(mark=False) left them). ``gap``: the
    ledger pages that were not laid out, inserted here after the first (gap_footers)."""
    from ..pdf.stamp import Stamp, stamp

    stamps, texts, ledger_pages, charts_found = [], [], 0, 0
    page_height = THEME.page_height * 72 / 25.4
    for index, page_anchors in enumerate(anchors):
        final = index + (gap.pages if gap and index > gap.after else 0)
        for number, (name, chart) in enumerate(charts.items()):
            anchor = page_anchors.get(f"chart-{name}")
            if anchor:
                x, y = box_origin(page_height, anchor, chart.height)
                stamps.append(Stamp(final, rl_pdf, number, x, y,
                                    ("Figure", (alts or {}).get(name, ""))))
                charts_found += 1
        if not layout:
            continue
        for anchor in page_anchors:
            if anchor.startswith("ledger-page-"):
                stamps.append(_ledger_stamp(layout, rl_pdf, final,
                                            int(anchor.removeprefix("ledger-page-"))))
                ledger_pages += 1
        if gap and index == gap.after:  # the pages not laid out, in the order of the ledger
            for j in range(1, gap.pages + 1):
                stamps.append(_ledger_stamp(layout, rl_pdf, final + j, 1 + j))
                texts.append(_footer(gap, layout.kit, rl_pdf, final + j, gap.number + j))
                ledger_pages += 1
    if layout and ledger_pages != layout.pages:
        raise ReportError(f"附表占位页数（{ledger_pages}）与排版页数（{layout.pages}）不符")
    if charts_found != len(charts):
        raise ReportError("有图表没有找到位置（模板中缺少 chart-… 框？）")
    from .render import BODY_FONTS

    return stamp(pdf, stamps, mark_fonts=BODY_FONTS if mark else None, texts=texts,
                 inserts=((gap.after, gap.pages),) if gap else ())


def _ledger_stamp(layout, rl_pdf: bytes, page: int, number: int):
    """Ledger page ``number`` (1-based) on page ``page`` of the final PDF."""
    from ..pdf.stamp import Stamp

    cells = layout.cells[number - 1] if layout.cells else ()
    return Stamp(page, rl_pdf, layout.first_page + number - 1, ledger_shift(page), 0,
                 ("Table", cells))


def _footer(gap: GapFooters, kit: dict, rl_pdf: bytes, page: int, number: int):
    """The running footer of an inserted page (0-based ``page``: even ones are right-hand
    pages, footer in the right corner): WeasyPrint's text, face, size, colour and place, in
    the characters of ReportLab's subset (ledger.footer_kit)."""
    from ..pdf.stamp import Text

    corner = "right" if page % 2 == 0 else "left"
    text = f"{gap.prefix}{number}{gap.suffix}"
    runs: list[tuple[str, bytes]] = []
    for ch in text:
        for font, code in kit["codes"][ch]:
            if runs and runs[-1][0] == font:
                runs[-1] = (font, runs[-1][1] + code)
            else:
                runs.append((font, code))
    edge, baseline = gap.places[corner]
    width = sum(kit["widths"][ch] for ch in text) * gap.size
    return Text(page, rl_pdf, kit["page"], edge - width if corner == "right" else edge,
                baseline, gap.size, gap.rgb, tuple(runs))
