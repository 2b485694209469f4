"""Where ReportLab's pages go on WeasyPrint's: the contract between the briefing's HTML —
an empty box per chart, one placeholder block per ledger page — and the one ReportLab PDF
that draws them (a page per chart, then the ledger's pages).

The ledger's text block is laid out centred between the two margins and each page shifted to
its own binding side (GB/T 9704: 28 mm on the left of odd pages, on the right of even
pages); a chart goes where its empty box is. Stamping itself is pdf/stamp.py.
"""

from __future__ import annotations

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


def stamp_drawings(pdf: bytes, document, charts: dict, layout, rl_pdf: bytes,
                   alts: dict | None = None, mark: bool = False) -> bytes:
    """Put the ReportLab pages where WeasyPrint made room for them: chart i is page i of
    ``rl_pdf``, the ledger's pages follow. ``document``: WeasyPrint's laid-out Document,
    whose pages carry the anchors of the boxes (``chart-…``, ``ledger-page-N``). In a tagged
    PDF, ``alts`` (chart name → its box's alt text) say which /Figure a chart's drawing
    belongs to, and the ledger's pages become tables (pdf/structure.py). ``mark``: the body
    text's lines marked in the same pass (render.to_pdf(mark=False) left them)."""
    from ..pdf.stamp import Stamp, stamp

    stamps, ledger_pages, charts_found = [], 0, 0
    page_height = THEME.page_height * 72 / 25.4
    for index, page in enumerate(document.pages):
        for number, (name, chart) in enumerate(charts.items()):
            anchor = page.anchors.get(f"chart-{name}")
            if anchor:
                x, y = box_origin(page_height, anchor, chart.height)
                stamps.append(Stamp(index, rl_pdf, number, x, y,
                                    ("Figure", (alts or {}).get(name, ""))))
                charts_found += 1
        if layout:
            for anchor in page.anchors:
                if anchor.startswith("ledger-page-"):
                    number = int(anchor.removeprefix("ledger-page-"))
                    cells = layout.cells[number - 1] if layout.cells else ()
                    stamps.append(Stamp(index, rl_pdf, layout.first_page + number - 1,
                                        ledger_shift(index), 0, ("Table", cells)))
                    ledger_pages += 1
    if layout and ledger_pages != layout.pages:
        raise ReportError(f"附表占位页数（{ledger_pages}）与排版页数（{layout.pages}）不符")
    if charts_found != len(charts):
        raise ReportError("有图表没有找到位置（模板中缺少 chart-… 框？）")
    from .render import BODY_FONTS

    return stamp(pdf, stamps, mark_fonts=BODY_FONTS if mark else None)
