"""Plain results of the ReportLab side (charts, ledger) that cross from the worker process
to the one that lays out the PDF. No heavy imports here: unpickling these must not pull
ReportLab into the layout process (0.1 s)."""

from __future__ import annotations

import base64
from dataclasses import dataclass


@dataclass(frozen=True)
class Chart:
    name: str
    title: str
    svg: str  # for the HTML (--html, a browser)
    labels: tuple[str, ...]  # every text drawn, for tests and the glyph check
    width: float = 0  # pt
    height: float = 0
    drawing: object = None  # the ReportLab Drawing (worker side only; dropped before return)

    @property
    def data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode()


# Chart sizes (pt), known before anything is drawn, so the HTML can leave room for them.
CHART_WIDTH = 440
CHART_HEIGHTS = {"regions": 185, "trend": 175}


def industries_height(rows: int) -> float:
    return 26 + 19 * rows


def chart_specs(figures, area_word: str = "市州") -> dict[str, Chart]:
    """Name, title and size of each chart, as the HTML needs them to leave room."""
    return {
        "regions": Chart("regions", f"分{area_word}签约金额和到位资金", "", (), CHART_WIDTH,
                         CHART_HEIGHTS["regions"]),
        "industries": Chart("industries", "各产业签约金额占比", "", (), CHART_WIDTH,
                            industries_height(len(figures.industries))),
        "trend": Chart("trend", "月度到位资金走势", "", (), CHART_WIDTH, CHART_HEIGHTS["trend"]),
    }


@dataclass(frozen=True)
class LedgerLayout:
    first_page: int  # 0-based page of the shared ReportLab PDF where the ledger starts
    pages: int
    last_height_mm: float  # height the ledger uses on its last page, from the frame top
    # drawn for a tagged PDF: per page, per row, each cell's (tag, MCID) — ledger.draw
    cells: tuple = ()
    # the running footer's characters in the ReportLab PDF, for the ledger pages that are
    # inserted after layout rather than laid out (placement.py): ledger.footer_kit
    kit: dict | None = None
