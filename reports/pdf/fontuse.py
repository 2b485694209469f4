"""Which characters a PDF prints with a given font: read from the ToUnicode maps of the
embedded fonts whose name contains a given PostScript name. A subset holds exactly the
characters printed with it, so this says which characters a layout took from a font."""

from __future__ import annotations

import io

import pikepdf

from .actualtext import to_unicode


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
                if name in font_names:
                    chars.update((to_unicode(font) or {}).values())
            for xobject in dict(resources.get("/XObject", {})).values():
                if xobject.get("/Subtype") == "/Form":
                    visit(xobject.get("/Resources"))

        for page in doc.pages:
            visit(page.obj.get("/Resources"))
    return {ch for ch in chars if ch and not ch.isspace()}
