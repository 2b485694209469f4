#!/usr/bin/env python3
"""Make the bundled fonts in fonts/ from registry packages (run once; the result is committed,
so builds do not depend on what a machine has installed and PDFs stay byte-identical).

- 黑体 (sans): Noto Sans SC, static Regular (wght 400) and Bold (700) TrueType instances of
  Google Fonts' variable ``NotoSansSC[wght].ttf`` from the PyPI package justmytype-intl-cjk.
  TrueType outlines, so ReportLab can use them too (its TTFont refuses CFF).
- 宋体 (serif): Noto Serif CJK SC Regular and Bold, the SC face (index 2) of Debian
  fonts-noto-cjk's ``NotoSerifCJK-{Regular,Bold}.ttc`` (face 0 is JP: never point at the TTC).
- 楷体: LXGW WenKai Regular from Debian fonts-lxgw-wenkai.
All are SIL Open Font License 1.1; the licence texts are copied beside them.

    pip download --no-deps -d /tmp/jmt justmytype-intl-cjk
    apt-get install fonts-noto-cjk fonts-lxgw-wenkai
    python scripts/make_fonts.py --wheel /tmp/jmt/justmytype_intl_cjk-*.whl
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


def kai() -> None:
    shutil.copy(LXGW / "LXGWWenKai-Regular.ttf", OUT / "LXGWWenKai-Regular.ttf")
    shutil.copy("/usr/share/doc/fonts-lxgw-wenkai/copyright", OUT / "OFL-LXGWWenKai.txt")
    shutil.copy("/usr/share/doc/fonts-noto-cjk/copyright", OUT / "OFL-NotoSerifCJK.txt")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--wheel", type=Path, required=True, help="justmytype-intl-cjk wheel")
    args = ap.parse_args()
    OUT.mkdir(exist_ok=True)
    serif()
    kai()
    sans(args.wheel)
    for f in sorted(OUT.iterdir()):
        print(f"{f.name}: {f.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
