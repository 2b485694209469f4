"""The ReportLab side of a briefing: the three charts, and one PDF with a page per chart
followed by the 附表 ledger's pages — one document, so that they share one set of font
subsets. It runs in the worker process while the other lays out the HTML (products/forked.py);
ReportLab itself is imported only when something is drawn."""

from __future__ import annotations

import dataclasses
import io

from ..data.config import Config
from ..figures.compute import Figures
from ..figures.fmt import Formatter
from .theme import THEME


def _charts(f: Figures, fmt: Formatter, cfg: Config) -> dict:
    from . import charts

    return {
        "regions": charts.regions_chart([r.short for r in f.regions],
                                        [r.signed.value for r in f.regions],
                                        [r.funds.value for r in f.regions], fmt,
                                        area_word=cfg.area_word),
        "industries": charts.industries_chart([r.name for r in f.industries],
                                              [r.share_signed for r in f.industries], fmt),
        "trend": charts.trend_chart([t.this_year for t in f.trend],
                                    [t.last_year for t in f.trend], f.period.year, fmt),
    }


def reportlab_parts(figures: Figures, cfg: Config, pagination=None, svg: bool = True,
                    tagged: bool = False, kit: bool = False):
    """The ReportLab drawing of a briefing: the charts, and one PDF with a page per chart
    followed by the ledger's pages (given its pagination); ``tagged``: the ledger's cells
    marked for a tagged PDF (ledger.draw). Returns (charts, ledger layout or
    None, PDF bytes). ``kit``: the running footer's characters on a page after the ledger
    (ledger.footer_kit)."""
    from . import charts as charts_module
    from .rlfonts import canvas

    charts = _charts(figures, Formatter.from_config(cfg.display), cfg)
    if svg:  # only HTML shows SVG: the PDF stamps the drawings
        charts = {k: charts_module.with_svg(v) for k, v in charts.items()}
    buffer = io.BytesIO()
    c = canvas(buffer, (THEME.page_width * 72 / 25.4, THEME.page_height * 72 / 25.4))
    for chart in charts.values():
        charts_module.draw_on(c, chart)
    layout = None
    if pagination is not None:
        from .ledger import draw

        layout = draw(c, pagination, tagged, kit)
    c.save()
    # the Drawings stay here: only what the parent needs travels back
    plain = {k: dataclasses.replace(v, drawing=None) for k, v in charts.items()}
    return plain, layout, buffer.getvalue()
