"""Add the OpenType feature ``chws`` (contextual half-width spacing: 标点挤压) to the bundled
Noto Serif SC, the body face. The font as bundled (scripts/make_fonts.py: converted to TrueType
outlines, trimmed) has no layout features; HarfBuzz applies ``chws`` when the stylesheet asks for
it (``font-feature-settings: "chws"``), so two adjacent full-width punctuation marks take 1.5 em
instead of 2 — the closing mark of a pair (its blank right half) or the second of two opening
marks (its blank left half) gives up half an em, as clreq and GB practice set them:

    closing + closing   。”  ），     closing + opening   ），（     opening + opening   （“

Only marks whose ink is on the side the rule assumes are included (checked from the outlines).
Run once after make_fonts.py: ``python scripts/add_chws.py``; then ``make fonts-coverage``.
Deterministic: the same input font gives the same bytes."""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools.feaLib.builder import addOpenTypeFeaturesFromString
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
FONT = ROOT / "fonts" / "NotoSerifSC-Regular.ttf"
CLOSING = "，。、；：）》」』】〕〉”’"
OPENING = "（《「『【〔〈“‘"


def main(path: Path = FONT) -> int:
    font = TTFont(path)
    if "chws" in {r.FeatureTag for r in font["GPOS"].table.FeatureList.FeatureRecord}:
        print(f"{path.name}: chws already there")
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

    closing = [cmap[ord(c)] for c in CLOSING if side(c) == "left"]
    opening = [cmap[ord(c)] for c in OPENING if side(c) == "right"]
    half = em // 2
    fea = f"""
languagesystem DFLT dflt;
languagesystem hani dflt;
languagesystem latn dflt;
@CLOSING = [{' '.join(closing)}];
@OPENING = [{' '.join(opening)}];
feature chws {{
  pos @CLOSING' <0 0 -{half} 0> [@CLOSING @OPENING];
  pos @OPENING @OPENING' <-{half} 0 -{half} 0>;
}} chws;
"""
    addOpenTypeFeaturesFromString(font, fea, tables=["GPOS"])
    font.save(path)
    print(f"{path.name}: chws for {len(closing)} closing and {len(opening)} opening marks")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else FONT))
