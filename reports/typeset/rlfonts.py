"""The bundled TrueType Noto Sans SC registered with ReportLab, once per process: used by
the charts (labels measured with the same metrics WeasyPrint draws them with) and the ledger.
ReportLab's TTFont refuses CFF fonts, so the sans is the one face both engines can share."""

from __future__ import annotations

from functools import lru_cache

from reportlab import rl_config
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from .theme import FONTS_DIR, THEME

rl_config.invariant = 1  # no dates or random ids in what ReportLab writes: same input, same bytes
rl_config.useA85 = 0  # binary (Flate) streams: ASCII85 would add a quarter to size and time

REGULAR = THEME.sans  # "Noto Sans SC": the same family name the CSS uses
BOLD = THEME.sans + " Bold"


@lru_cache(maxsize=1)
def register_fonts() -> str:
    pdfmetrics.registerFont(TTFont(REGULAR, str(FONTS_DIR / THEME.sans_regular)))
    pdfmetrics.registerFont(TTFont(BOLD, str(FONTS_DIR / THEME.sans_bold)))
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    # the graphics' default font would be Helvetica: a reference that is never embedded
    from reportlab.graphics import shapes

    shapes.STATE_DEFAULTS["fontName"] = REGULAR
    return REGULAR


def canvas(buffer, size):
    """A ReportLab canvas that writes reproducible bytes and starts in the bundled font."""
    from reportlab.pdfgen.canvas import Canvas

    register_fonts()
    return Canvas(buffer, pagesize=size, invariant=1, pageCompression=1,
                  initialFontName=REGULAR)
