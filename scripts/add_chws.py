"""Add the OpenType features ``chws`` and ``halt`` to the bundled Noto Serif SC, the body face.

The font as bundled (scripts/make_fonts.py: converted to TrueType outlines, trimmed) has no
layout features. HarfBuzz applies them when asked:

- ``chws`` (contextual half-width spacing: 标点挤压), asked for by the stylesheets
  (``font-feature-settings: "chws"``): two adjacent full-width punctuation marks take 1.5 em
  instead of 2 — the closing mark of a pair (its blank right half) or the second of two opening
  marks (its blank left half) gives up half an em, as clreq and GB practice set them:

      closing + closing   。”  ），     closing + opening   ），（     opening + opening   （“

- ``halt`` (alternate half widths): one mark set in half an em — a closing mark loses its blank
  right half, an opening mark its blank left half. Never asked for by a stylesheet: the
  paragraph line breaker (reports/typeset/linebreak.py) applies it to single marks of a line
  that must give up room to fit (a line-final "，" that would otherwise push a character down,
  a figure that would otherwise leave a loose line).

Only marks whose ink is on the side the rule assumes are included (checked from the outlines).
Run once after make_fonts.py: ``python scripts/add_chws.py``; then ``make fonts-coverage``.
The GPOS table is built from both features each time, so running it again on a font that has
only ``chws`` adds ``halt``. Deterministic: the same input font gives the same bytes."""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools.feaLib.builder import addOpenTypeFeaturesFromString
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
FONT = ROOT / "fonts" / "NotoSerifSC-Regular.ttf"
CLOSING = "，。、；：？！）》」』】〕〉”’"
OPENING = "（《「『【〔〈“‘"
FEATURES = {"chws", "halt"}


def main(path: Path = FONT) -> int:
    font = TTFont(path)
    have = {r.FeatureTag for r in font["GPOS"].table.FeatureList.FeatureRecord} \
        if "GPOS" in font else set()
    if FEATURES <= have:
        print(f"{path.name}: {', '.join(sorted(FEATURES))} already there")
        return 0
    cmap, glyf, hmtx = font.getBestCmap(), font["glyf"], font["hmtx"]
    em = font["head"].unitsPerEm

    def side(ch: str) -> str | None:
        name = cmap.get(ord(ch))
        if name is None or hmtx[name][0] != em:
            return None
        g = glyf[name]
        g.recalcBounds(glyf)
        if g.xMax <= em * 0.55:
            return "left"
        if g.xMin >= em * 0.45:
            return "right"
        return None

    # chws keeps its original set (? and ! are not paired by it); halt takes every mark whose
    # ink is in one half
    pairs = "，。、；：）》」』】〕〉”’"
    closing = [cmap[ord(c)] for c in pairs if side(c) == "left"]
    opening = [cmap[ord(c)] for c in OPENING if side(c) == "right"]
    half_closing = [cmap[ord(c)] for c in CLOSING if side(c) == "left"]
    half = em // 2
    fea = f"""
languagesystem DFLT dflt;
languagesystem hani dflt;
languagesystem latn dflt;
@CLOSING = [{' '.join(closing)}];
@OPENING = [{' '.join(opening)}];
@HALF_CLOSING = [{' '.join(half_closing)}];
feature chws {{
  pos @CLOSING' <0 0 -{half} 0> [@CLOSING @OPENING];
  pos @OPENING @OPENING' <-{half} 0 -{half} 0>;
}} chws;
feature halt {{
  pos @HALF_CLOSING <0 0 -{half} 0>;
  pos @OPENING <-{half} 0 -{half} 0>;
}} halt;
"""
    addOpenTypeFeaturesFromString(font, fea, tables=["GPOS"])
    font.save(path)
    print(f"{path.name}: chws for {len(closing)} closing and {len(opening)} opening marks; "
          f"halt for {len(half_closing)} closing and {len(opening)} opening marks")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else FONT))
