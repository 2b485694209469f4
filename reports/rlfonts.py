"""The bundled TrueType Noto Sans SC registered with ReportLab, once per process: used by
the charts (labels measured with the same metrics WeasyPrint draws them with) and the ledger.
ReportLab's TTFont refuses CFF fonts, so the sans is the one face both engines can share."""

from __future__ import annotations

from functools import lru_cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.lib.fonts import addMapping

from .theme import FONTS_DIR, THEME

REGULAR = THEME.sans  # "Noto Sans SC": the same family name the CSS uses
BOLD = THEME.sans + " Bold"


@lru_cache(maxsize=1)
def register_fonts() -> str:
    pdfmetrics.registerFont(TTFont(REGULAR, str(FONTS_DIR / THEME.sans_regular)))
    pdfmetrics.registerFont(TTFont(BOLD, str(FONTS_DIR / THEME.sans_bold)))
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    return REGULAR
