"""Which characters a PDF prints with a given font: read from the ToUnicode maps of the
embedded fonts whose name contains a given PostScript name. A subset holds exactly the
characters printed with it, so this says which characters a layout took from a font."""

from __future__ import annotations

import io
import re

import pikepdf

_BFCHAR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
_BFRANGE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")


def characters_in(pdf: bytes, font_names: set[str]) -> set[str]:
    """Every character the PDF's pages (and their form XObjects) print with a font whose
    BaseFont, without its subset prefix (``DNMGWT+``), is one of ``font_names``."""
    chars: set[str] = set()
    seen: set = set()
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        def visit(resources):
            if resources is None or resources.objgen in seen and resources.objgen != (0, 0):
                return
            seen.add(resources.objgen)
            for font in dict(resources.get("/Font", {})).values():
                name = str(font.get("/BaseFont", "")).lstrip("/").split("+", 1)[-1]
                if name in font_names and "/ToUnicode" in font:
                    chars.update(_unicode_of(font.ToUnicode.read_bytes()))
            for xobject in dict(resources.get("/XObject", {})).values():
                if xobject.get("/Subtype") == "/Form":
                    visit(xobject.get("/Resources"))

        for page in doc.pages:
            visit(page.obj.get("/Resources"))
    return {ch for ch in chars if ch and not ch.isspace()}


def _unicode_of(cmap: bytes) -> set[str]:
    """The characters a ToUnicode CMap maps to (bfchar and bfrange entries)."""
    chars: set[str] = set()
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for _, dst in _BFCHAR.findall(block):
            chars.add(bytes.fromhex(dst.decode()).decode("utf-16-be", "replace"))
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for lo, hi, dst in _BFRANGE.findall(block):
            start = int(dst, 16)
            for i in range(int(hi, 16) - int(lo, 16) + 1):
                if start + i < 0x110000:
                    chars.add(chr(start + i))
    return chars
