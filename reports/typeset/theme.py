"""One theme for every engine: page geometry, colours, type sizes and the bundled font files.

The CSS templates read these values (as ``theme``) and so does the chart module, so a change
here changes both. Layout follows GB/T 9704-2012: A4, top margin 37 mm, binding (left) margin
28 mm, text block 156 × 225 mm; page numbers 7 mm below the text block.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import ROOT

FONTS_DIR = ROOT / "fonts"


@dataclass(frozen=True)
class Theme:
    print = False  # the screen variant (PrintTheme: the press)
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
    hairline: str = "#d0d0d0"  # rules between contents lines
    light_rule: str = "#c8c8c8"  # rules between table rows
    grid: str = "#d9d9d9"  # chart grid lines
    white: str = "#ffffff"
    # 附表 (ledger) pages share the geometry of every other page (one type area, page numbers
    # in one place); the heading block on the first ledger page has a fixed height, so that
    # ReportLab's first frame starts exactly below it
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
    bleed: float = 3  # mm beyond the trim, in the print variant
    slug: float = 10  # mm of media beyond the trim: the crop marks sit outside the bleed
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

# The same colours for the press (report build --print): DeviceCMYK, 0–1 (C, M, Y, K). The
# masthead red is 公文 red, M90 Y90; text is solid black ink (K100: a screened 90% black
# prints grainy), greys are black ink alone (K), so they print without registration fringes.
CMYK = {
    "red": (0, 0.9, 0.9, 0),
    "text": (0, 0, 0, 1),
    "muted": (0, 0, 0, 0.65),
    "rule": (0, 0, 0, 0.75),
    "band": (0.05, 0.02, 0, 0.03),
    "zebra": (0, 0, 0, 0.03),
    "chart_dark": (0.66, 0.36, 0, 0.64),
    "chart_light": (0.23, 0.12, 0, 0.19),
    "chart_grey": (0, 0, 0, 0.45),
    "hairline": (0, 0, 0, 0.18),
    "light_rule": (0, 0, 0, 0.22),
    "grid": (0, 0, 0, 0.15),
    "white": (0, 0, 0, 0),
}


class PrintTheme:
    """THEME as the print variant's stylesheets see it: every colour a CSS
    ``device-cmyk()``; everything else as in THEME."""

    print = True

    def __getattr__(self, name):
        if name in CMYK:
            return "device-cmyk({})".format(" ".join(f"{v:g}" for v in CMYK[name]))
        return getattr(THEME, name)


_ink = {"mode": "rgb"}


class ink:
    """``with ink("cmyk"):`` — ReportLab colours (rl_color) in CMYK while drawing the print
    variant's charts and ledger."""

    def __init__(self, mode: str):
        self.mode = mode

    def __enter__(self):
        self.previous, _ink["mode"] = _ink["mode"], self.mode

    def __exit__(self, *exc):
        _ink["mode"] = self.previous


def rl_color(name: str):
    """A theme colour for ReportLab: RGB, or CMYK inside ``with ink("cmyk")``."""
    from reportlab.lib import colors

    if _ink["mode"] == "cmyk":
        return colors.CMYKColor(*CMYK[name])
    return colors.HexColor(getattr(THEME, name))
