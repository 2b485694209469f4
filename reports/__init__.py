"""招商引资工作简报生成器.

The data flows one way, each stage a subpackage, imports pointing backwards only:

    data/      files → typed, validated rows (load, values, validate, model, config)
    figures/   Decimal metrics and their words (compute, fmt, i18n)
    typeset/   HTML, WeasyPrint, ReportLab, fonts, glyph checks, placement, theme
    pdf/       finished PDFs: stamping, press finishing, preflight, atomic output
    products/  what the commands make: briefing, handouts, the monthly archive

    cli.py     the command line (thin);  errors.py  the problems and exceptions every room raises

``products → typeset → figures → data``, with ``pdf`` below ``typeset``; each heavy library is
imported in one subpackage only. ``tests/test_layout.py`` holds the code to this map.
"""

from pathlib import Path

__version__ = "0.1.0"

# The repository: templates/, fonts/, color/ beside the package.
ROOT = Path(__file__).resolve().parent.parent
