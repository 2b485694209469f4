"""One theme for every engine: page geometry, colours, type sizes and the bundled font files.

The CSS templates read these values (as ``theme``) and so does the chart module, so a change
here changes both. Layout follows GB/T 9704-2012: A4, top margin 37 mm, binding (left) margin
28 mm, text block 156 × 225 mm; page numbers 7 mm below the text block.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FONTS_DIR = ROOT / "fonts"


@dataclass(frozen=True)
class Theme:
    # page (mm)
    page_width: float = 210
    page_height: float = 297
    margin_top: float = 37
    margin_left: float = 28
    margin_right: float = 26
    margin_bottom: float = 35
    # colours: masthead red is the RGB rendering of CMYK 0/80/80/0-class 公文 red
    red: str = "#d7261e"
    text: str = "#1a1a1a"
    muted: str = "#595959"
    rule: str = "#404040"
    band: str = "#eef1f5"  # table header band / KPI card
    zebra: str = "#f7f7f7"
    chart_dark: str = "#1f3b5c"  # lightness contrast: dark vs light survives B/W print
    chart_light: str = "#9fb6cf"
    chart_grey: str = "#8c8c8c"
    # 附表 (ledger) pages: their own margins; the heading block on the first ledger page has a
    # fixed height, so that ReportLab's first frame starts exactly below it
    ledger_margin_top: float = 25
    ledger_margin_bottom: float = 30
    ledger_heading: float = 14
    # % of the text width: 序号 项目名称 市州 产业 投资方 签约日期 签约金额 到位资金
    ledger_columns: tuple = (5.5, 23, 7.5, 13, 20, 12.5, 9.25, 9.25)
    # delegation handouts: a brochure, not a 公文 — even margins, marks in the top and bottom
    # margins drawn by ReportLab (watermark, copy number, page number)
    handout_margin_top: float = 24
    handout_margin_side: float = 22
    handout_margin_bottom: float = 24
    handout_mark_size: float = 8.5
    # type (pt)
    body_size: float = 14
    table_size: float = 9.5
    ledger_size: float = 8.5
    title_size: float = 30
    # font families (must match the @font-face rules in templates/css/fonts.css)
    serif: str = "Noto Serif SC"
    sans: str = "Noto Sans SC"
    kai: str = "LXGW WenKai"
    # font files in fonts/
    serif_regular: str = "NotoSerifSC-Regular.ttf"
    serif_bold: str = "NotoSerifSC-Bold.ttf"
    sans_regular: str = "NotoSansSC-Regular.ttf"
    sans_bold: str = "NotoSansSC-Bold.ttf"
    kai_regular: str = "LXGWWenKai-Regular.ttf"

    @property
    def text_width(self) -> float:
        return self.page_width - self.margin_left - self.margin_right


THEME = Theme()
