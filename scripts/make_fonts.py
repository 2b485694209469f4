#!/usr/bin/env python3
"""Make the bundled fonts in fonts/ from registry packages (run once; the result is committed,
so builds do not depend on what a machine has installed and PDFs stay byte-identical).

- 黑体 (sans): Noto Sans SC, static Regular (wght 400) and Bold (700) TrueType instances of
  Google Fonts' variable ``NotoSansSC[wght].ttf`` from the PyPI package justmytype-intl-cjk.
  TrueType outlines, so ReportLab can use them too (its TTFont refuses CFF).
- 宋体 (serif): Noto Serif CJK SC Regular and Bold, the SC face (index 2) of Debian
  fonts-noto-cjk's ``NotoSerifCJK-{Regular,Bold}.ttc`` (face 0 is JP: never point at the TTC),
  then converted to TrueType outlines (``--serif-truetype``) as NotoSerifSC-*.ttf; the
  intermediate .otf files are not kept.
- 楷体: LXGW WenKai Regular from Debian fonts-lxgw-wenkai.
All are SIL Open Font License 1.1; the licence texts are copied beside them.

    pip download --no-deps -d /tmp/jmt justmytype-intl-cjk
    apt-get install fonts-noto-cjk fonts-lxgw-wenkai
    python scripts/make_fonts.py --wheel /tmp/jmt/justmytype_intl_cjk-*.whl
    python scripts/make_fonts.py --serif-truetype Regular   # and Bold; then delete the .otf
    make fonts-coverage
"""

from __future__ import annotations

import argparse
import io
import shutil
import zipfile
from pathlib import Path

from fontTools.ttLib import TTCollection, TTFont
from fontTools.varLib import instancer

OUT = Path(__file__).resolve().parent.parent / "fonts"
NOTO = Path("/usr/share/fonts/opentype/noto")
LXGW = Path("/usr/share/fonts/truetype/lxgw-wenkai")


def sans(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as z:
        base = "justmytype_intl_cjk/fonts/ofl/notosanssc/"
        data = z.read(base + "NotoSansSC[wght].ttf")
        (OUT / "OFL-NotoSansSC.txt").write_bytes(z.read(base + "OFL.txt"))
    for weight, style in ((400, "Regular"), (700, "Bold")):
        font = TTFont(io.BytesIO(data))
        static = instancer.instantiateVariableFont(font, {"wght": weight},
                                                   updateFontNames=True)
        name = static["name"]
        # Make sure family/subfamily/full/PostScript names read as a static face.
        for rec_id, value in ((1, "Noto Sans SC"), (2, style), (4, f"Noto Sans SC {style}"),
                              (6, f"NotoSansSC-{style}"), (16, "Noto Sans SC"), (17, style)):
            name.setName(value, rec_id, 3, 1, 0x409)
        static["OS/2"].usWeightClass = weight
        if style == "Bold":
            static["OS/2"].fsSelection = (static["OS/2"].fsSelection | 0x20) & ~0x40
            static["head"].macStyle |= 1
        static.save(OUT / f"NotoSansSC-{style}.ttf")


def serif() -> None:
    for style in ("Regular", "Bold"):
        collection = TTCollection(NOTO / f"NotoSerifCJK-{style}.ttc")
        face = collection.fonts[2]
        assert face["name"].getDebugName(1) == "Noto Serif CJK SC", face["name"].getDebugName(1)
        face.save(OUT / f"NotoSerifCJKsc-{style}.otf")


def serif_truetype(style: str) -> None:
    """CFF → TrueType outlines (fontTools cu2qu, max error 1 unit of 1000). WeasyPrint subsets
    fonts keeping the original glyph ids, and an empty glyph costs a CFF font a CharStrings
    offset each (80 KB for a ten-character title) but a TrueType font only a loca entry that
    compresses to almost nothing: the serif subsets shrink about threefold. TrueType outlines
    are also usable by ReportLab."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    font = TTFont(OUT / f"NotoSerifCJKsc-{style}.otf")
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(None)
        glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for field in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs",
                  "maxInstructionDefs", "maxStackElements", "maxSizeOfInstructions",
                  "maxComponentElements", "maxPoints", "maxContours", "maxCompositePoints",
                  "maxCompositeContours", "maxComponentDepth"):
        setattr(maxp, field, 1 if field == "maxZones" else 0)
    font["head"].indexToLocFormat = 1
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType = 3.0  # no glyph names (65,535 CID names would only add size)
    post.extraNames, post.mapping = [], {}
    font.sfntVersion = "\x00\x01\x00\x00"
    name = font["name"]
    family = "Noto Serif SC"
    for rec_id, value in ((1, family), (2, style), (4, f"{family} {style}"),
                          (6, f"NotoSerifSC-{style}"), (16, family), (17, style)):
        name.setName(value, rec_id, 3, 1, 0x409)
    font.save(OUT / f"NotoSerifSC-{style}.ttf")


def gb2312() -> str:
    """The 7,445 characters of GB 2312 (6,763 hanzi, punctuation, symbols) and ASCII."""
    chars = set(map(chr, range(0x20, 0x7F)))
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return "".join(sorted(chars))


def trim(path: Path, text: str | None) -> None:
    """Subset a bundled font in place, glyph ids renumbered: to ``text`` (faces used only
    for titles and headings, where a rarer character falls back to the full serif or sans),
    or (None) to every code point its cmap has, dropping glyphs no code point reaches (the
    JP/KR/TC forms of the Noto CJK serif). Fewer glyphs: less memory for WeasyPrint, which
    holds each font in full, and lower glyph ids, so smaller subsets in the PDF."""
    from fontTools import subset

    font = TTFont(path)
    options = subset.Options()
    options.layout_features = []  # no GSUB/GPOS: horizontal Chinese needs neither
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.recalc_bounds = True
    unicodes = set(font["cmap"].getBestCmap()) if text is None else {ord(c) for c in text}
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    font.save(path)


def kai() -> None:
    shutil.copy(LXGW / "LXGWWenKai-Regular.ttf", OUT / "LXGWWenKai-Regular.ttf")
    shutil.copy("/usr/share/doc/fonts-lxgw-wenkai/copyright", OUT / "OFL-LXGWWenKai.txt")
    shutil.copy("/usr/share/doc/fonts-noto-cjk/copyright", OUT / "OFL-NotoSerifCJK.txt")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--wheel", type=Path, help="justmytype-intl-cjk wheel")
    ap.add_argument("--serif-truetype", choices=("Regular", "Bold"),
                    help="only convert fonts/NotoSerifCJKsc-<style>.otf to TrueType")
    ap.add_argument("--trim", metavar="FILE[:gb2312]",
                    help="only subset fonts/FILE in place (to GB 2312, or to its own cmap)")
    args = ap.parse_args()
    if args.serif_truetype:
        serif_truetype(args.serif_truetype)
        return
    if args.trim:
        name, _, scope = args.trim.partition(":")
        trim(OUT / name, gb2312() if scope == "gb2312" else None)
        return
    OUT.mkdir(exist_ok=True)
    serif()
    kai()
    sans(args.wheel)
    for f in sorted(OUT.iterdir()):
        print(f"{f.name}: {f.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
