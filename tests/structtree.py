"""Reads a tagged PDF's structure tree the way a screen reader does: each element with the
text of the marked content it owns (MCIDs on its page, or inside a form XObject through a
marked-content reference), found through the fonts' ToUnicode maps."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pikepdf

from reports.pdf.actualtext import to_unicode


@dataclass
class Element:
    tag: str
    alt: str = ""
    attrs: dict = field(default_factory=dict)
    kids: list = field(default_factory=list)
    own: list = field(default_factory=list)  # (stream objgen, MCID)
    text: str = ""

    def all_text(self) -> str:
        return self.text + "".join(k.all_text() for k in self.kids)

    def walk(self):
        yield self
        for k in self.kids:
            yield from k.walk()

    def find(self, tag: str) -> list["Element"]:
        return [e for e in self.walk() if e.tag == tag]


def _decode(operands, table: dict[int, str], width: int) -> str:
    items = operands[0] if isinstance(operands[0], pikepdf.Array) else [operands[0]]
    raw = b"".join(bytes(i) for i in items if isinstance(i, pikepdf.String))
    return "".join(table.get(int.from_bytes(raw[i:i + width], "big"), "")
                   for i in range(0, len(raw) - width + 1, width))


def _marked_text(stream, resources, table_cache) -> dict[int, str]:
    """MCID → text drawn inside it, for one content stream."""
    fonts = {}
    for key, font in dict(resources.get("/Font", {})).items():
        if font.objgen not in table_cache:
            # Type0 (WeasyPrint): two bytes a glyph; simple fonts (ReportLab's subsets): one
            table_cache[font.objgen] = (to_unicode(font) or {},
                                        2 if font.get("/Subtype") == "/Type0" else 1)
        fonts[str(key)] = table_cache[font.objgen]
    out: dict[int, list] = {}
    stack: list = []  # MCID or None per open marked-content sequence
    font = None
    for operands, op in pikepdf.parse_content_stream(stream):
        name = str(op)
        if name == "BDC":
            props = operands[1]
            stack.append(int(props.MCID) if isinstance(props, pikepdf.Dictionary)
                         and "/MCID" in props else None)
        elif name == "BMC":
            stack.append(None)
        elif name == "EMC" and stack:
            stack.pop()
        elif name == "Tf":
            font = str(operands[0])
        elif name in ("TJ", "Tj"):
            mcid = next((m for m in reversed(stack) if m is not None), None)
            if mcid is not None and font in fonts:
                out.setdefault(mcid, []).append(_decode(operands, *fonts[font]))
    return {k: "".join(v) for k, v in out.items()}


def read(pdf_path: Path) -> tuple[Element, pikepdf.Pdf]:
    pdf = pikepdf.open(pdf_path)
    root = pdf.Root.StructTreeRoot
    cache: dict = {}
    texts: dict = {}

    def stream_text(stream_obj, resources):
        if stream_obj.objgen not in texts:
            texts[stream_obj.objgen] = _marked_text(stream_obj, resources, cache)
        return texts[stream_obj.objgen]

    page_texts = {}
    for page in pdf.pages:
        page_texts[page.obj.objgen] = _marked_text(page, page.Resources, cache)

    def build(obj, page=None) -> Element | None:
        if not isinstance(obj, pikepdf.Dictionary) or obj.get("/Type") == "/OBJR":
            return None
        page = obj.get("/Pg", page)
        e = Element(str(obj.get("/S", "")).lstrip("/"), str(obj.get("/Alt", "")),
                    {str(k): v for k, v in obj.get("/A", {}).items()})
        kids = obj.get("/K")
        kids = list(kids) if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]
        for kid in kids:
            if isinstance(kid, int):
                e.text += page_texts.get(page.objgen, {}).get(kid, "")
            elif isinstance(kid, pikepdf.Dictionary) and "/MCID" in kid:  # an MCR (its
                # /Type is optional): marked content in a form XObject
                form = kid.Stm
                e.text += stream_text(form, form.Resources).get(int(kid.MCID), "")
            else:
                child = build(kid, page)
                if child:
                    e.kids.append(child)
        return e

    doc = Element("root")
    for k in (root.K if isinstance(root.K, pikepdf.Array) else [root.K]):
        child = build(k)
        if child:
            doc.kids.append(child)
    return doc, pdf
