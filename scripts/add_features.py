"""Add OpenType features to the bundled Noto Serif SC (宋), the body face: ``chws`` and
``halt`` to the Regular, ``pwid`` to the Regular and the Bold.

The fonts as bundled (scripts/make_fonts.py: converted to TrueType outlines, trimmed) have no
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

- ``pwid`` (proportional widths), asked for by the stylesheets for English text: a CJK font's
  curly quotes and apostrophe are full-width (an em, the ink at one side), so "China’s" would
  print "China’  s". The feature swaps in proportional copies — the same outlines, with Latin
  side bearings — as Noto Sans SC already has them.

Only marks whose ink is on the side the rule assumes are included (checked from the outlines).
Run once after make_fonts.py: ``python scripts/add_features.py``; then ``make fonts-coverage``.
The GPOS table is built from chws and halt each time, so running it again on a font that has
only ``chws`` adds ``halt``; GSUB likewise. Deterministic: the same input font gives the same
bytes."""

from __future__ import annotations

import pickle
import sys
from pathlib import Path

from fontTools.feaLib.builder import addOpenTypeFeaturesFromString
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
FONT = ROOT / "fonts" / "NotoSerifSC-Regular.ttf"
BOLD = ROOT / "fonts" / "NotoSerifSC-Bold.ttf"
QUOTES = "‘’“”"
SIDE = 0.06  # em: the side bearing of a proportional quote (Noto Serif's are 0.05–0.07)
CLOSING = "，。、；：？！）》」』】〕〉”’"
OPENING = "（《「『【〔〈“‘"
FEATURES = {"chws", "halt"}


def features(font: TTFont, table: str) -> set[str]:
    if table not in font or font[table].table.FeatureList is None:
        return set()
    return {r.FeatureTag for r in font[table].table.FeatureList.FeatureRecord}


def add_spacing(path: Path) -> None:
    """chws and halt (GPOS)."""
    font = TTFont(path)
    if FEATURES <= features(font, "GPOS"):
        print(f"{path.name}: {', '.join(sorted(FEATURES))} already there")
        return
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


def add_proportional_quotes(path: Path) -> None:
    """pwid (GSUB): ‘’“” → copies of their outlines moved to Latin side bearings."""
    font = TTFont(path)
    if "pwid" in features(font, "GSUB"):
        print(f"{path.name}: pwid already there")
        return
    cmap, glyf, hmtx = font.getBestCmap(), font["glyf"], font["hmtx"]
    em = font["head"].unitsPerEm
    side = round(SIDE * em)
    order = font.getGlyphOrder()
    subs = []
    for ch in QUOTES:
        name = cmap[ord(ch)]
        glyph = glyf[name]
        glyph.recalcBounds(glyf)
        new = f"{name}.pwid"
        copy = pickle.loads(pickle.dumps(glyph))  # the same outline, moved
        shift = side - glyph.xMin
        copy.coordinates.translate((shift, 0))
        copy.recalcBounds(glyf)
        order.append(new)
        glyf.glyphs[new] = copy
        hmtx[new] = (glyph.xMax - glyph.xMin + 2 * side, side)
        subs.append(f"  sub {name} by {new};")
    font.setGlyphOrder(order)
    glyf.glyphOrder = order
    if "post" in font and hasattr(font["post"], "extraNames"):
        font["post"].extraNames = []  # names come from the glyph order
    font["maxp"].numGlyphs = len(order)
    lines = "\n".join(subs)
    fea = f"""
languagesystem DFLT dflt;
languagesystem hani dflt;
languagesystem latn dflt;
feature pwid {{
{lines}
}} pwid;
"""
    addOpenTypeFeaturesFromString(font, fea, tables=["GSUB"])
    font.save(path)
    print(f"{path.name}: pwid for {QUOTES}")


def main(path: Path | None = None) -> int:
    if path is not None:
        add_spacing(path)
        add_proportional_quotes(path)
        return 0
    add_spacing(FONT)
    for p in (FONT, BOLD):
        add_proportional_quotes(p)
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else None))
