"""Advance widths of the sans faces, as ReportLab measures them, from fonts/metrics.json
(``make fonts-coverage``): the ledger is paginated — every cell wrapped, every row measured —
without importing ReportLab or parsing a 10 MB font (0.25 s), so the layout can start while
ReportLab is still drawing. A test checks the table against ReportLab's own stringWidth."""

from __future__ import annotations

import json
from functools import lru_cache

from .theme import FONTS_DIR, THEME

METRICS = FONTS_DIR / "metrics.json"
FACES = {"regular": THEME.sans_regular, "bold": THEME.sans_bold}


def _sizes() -> dict:
    return {n: (FONTS_DIR / n).stat().st_size for n in FACES.values()}


def compute_metrics() -> dict:
    from reportlab.pdfbase import pdfmetrics

    from .rlfonts import BOLD, REGULAR, register_fonts

    register_fonts()
    out = {"fonts": _sizes()}
    for key, name in (("regular", REGULAR), ("bold", BOLD)):
        face = pdfmetrics.getFont(name).face
        runs: list[list[int]] = []
        for cp in sorted(face.charWidths):
            w = face.charWidths[cp]
            if runs and runs[-1][1] == cp - 1 and runs[-1][2] == w:
                runs[-1][1] = cp
            else:
                runs.append([cp, cp, w])
        out[key] = {"default": face.defaultWidth, "runs": runs}
    return out


def write_metrics() -> None:
    METRICS.write_text(json.dumps(compute_metrics(), separators=(",", ":")) + "\n",
                       encoding="utf-8")


@lru_cache(maxsize=None)
def widths(face: str) -> tuple[dict[int, int], int]:
    """(code point → width in 1/1000 em, default width) for "regular" or "bold"."""
    data = None
    if METRICS.is_file():
        data = json.loads(METRICS.read_text(encoding="utf-8"))
        if data.get("fonts") != _sizes():
            data = None
    if data is None:  # stale or missing: measure with ReportLab (slow path)
        data = compute_metrics()
    table: dict[int, int] = {}
    for start, end, w in data[face]["runs"]:
        for cp in range(start, end + 1):
            table[cp] = w
    return table, data[face]["default"]
