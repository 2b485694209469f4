"""One PDF from two engines: pages drawn by ReportLab — the 附表 ledger, the charts — are
stamped onto the places WeasyPrint laid out for them. The only module that imports pikepdf.

WeasyPrint's pages keep everything that spans the document — running footers with the right
page numbers and total, the table of contents' page numbers, bookmarks, metadata, PDF/A
output intent and attachments — and each ReportLab page becomes a form XObject drawn on
top at a given offset. The ledger's text block is laid out centred between the two margins
and each page shifted to its own binding side (GB/T 9704: 28 mm on the left of odd pages,
on the right of even pages); a chart goes where its empty box is.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pikepdf

from .theme import THEME

MM = 72 / 25.4
PX = 0.75  # a CSS px in pt


@dataclass(frozen=True)
class Stamp:
    page: int  # 0-based page of the base PDF
    source: bytes  # a PDF (ReportLab's)
    source_page: int  # 0-based page of it
    x: float  # offset of the source page's origin, pt
    y: float


def ledger_shift(page_index: int) -> float:
    """Horizontal offset (pt) of a ledger page laid out between the mean margins."""
    centre = (THEME.margin_left + THEME.margin_right) / 2
    odd = (page_index + 1) % 2 == 1
    return ((THEME.margin_left if odd else THEME.margin_right) - centre) * MM


def box_origin(page_height_pt: float, anchor: tuple, height_pt: float) -> tuple[float, float]:
    """PDF origin (bottom-left, pt) of a box from WeasyPrint's anchor (CSS px, top-left)."""
    x1, y1 = anchor[0], anchor[1]
    return x1 * PX, page_height_pt - y1 * PX - height_pt


def stamp(base_pdf: bytes, stamps: list[Stamp]) -> bytes:
    with pikepdf.open(io.BytesIO(base_pdf)) as base:
        sources: dict[int, pikepdf.Pdf] = {}
        try:
            wrapped: set[int] = set()  # pages whose own content is already inside q … Q
            for n, s in enumerate(stamps, 1):
                if id(s.source) not in sources:
                    sources[id(s.source)] = pikepdf.open(io.BytesIO(s.source))
                src = sources[id(s.source)].pages[s.source_page]
                target = base.pages[s.page]
                # pikepdf's add_overlay would name the form XObject at random (no
                # byte-identical rebuilds); these names are fixed, and unique across the
                # document, since WeasyPrint's pages share one resource dictionary
                form = base.copy_foreign(src.as_form_xobject())
                name = target.add_resource(form, pikepdf.Name.XObject,
                                           name=pikepdf.Name(f"/Stamp{n}"))
                if s.page not in wrapped:  # isolate WeasyPrint's graphics state once
                    target.contents_add(base.make_stream(b"q\n"), prepend=True)
                    target.contents_add(base.make_stream(b"\nQ\n"))
                    wrapped.add(s.page)
                target.contents_add(base.make_stream(
                    f"q 1 0 0 1 {s.x:.4f} {s.y:.4f} cm {name} Do Q\n".encode()))
        finally:
            for pdf in sources.values():
                pdf.close()
        out = io.BytesIO()
        # deterministic_id: the file ID comes from the content, so rebuilds are identical
        base.save(out, deterministic_id=True)
        return out.getvalue()


def _grays_to_black_ink(doc) -> None:
    """RGB greys that WeasyPrint still writes in a CMYK document — its crop marks are an SVG
    stroked "black", some resets are ``0 0 0 rg`` — become black ink (``k``/``K``): a grey
    is K alone, exactly. Any other RGB stays, for ``report check`` to find."""
    seen = set()

    def fix(container):
        if container.objgen in seen:
            return
        seen.add(container.objgen)
        changed, out = False, []
        for operands, operator in pikepdf.parse_content_stream(container):
            op = str(operator)
            if op in ("rg", "RG") and len({float(x) for x in operands}) == 1:
                grey = float(operands[0])
                out.append(([0, 0, 0, round(1 - grey, 6)],
                            pikepdf.Operator("k" if op == "rg" else "K")))
                changed = True
            else:
                out.append((operands, operator))
        if changed:
            data = pikepdf.unparse_content_stream(out)
            if isinstance(container, pikepdf.Page):
                container.obj.Contents = doc.make_stream(data)
            else:
                container.write(data)
        resources = container.get("/Resources") if not isinstance(container, pikepdf.Page) \
            else container.obj.get("/Resources")
        for xobject in dict((resources or {}).get("/XObject", {})).values():
            if xobject.get("/Subtype") == "/Form":
                fix(xobject)

    for page in doc.pages:
        fix(page)


def for_press(pdf: bytes, black_ink: bool = True) -> bytes:
    """The print variant's last steps: greys as black ink (``black_ink``), and a
    content-derived XMP DocumentID in place of WeasyPrint's random one (PDF/X writes uuid4),
    so that the same input gives the same bytes."""
    import hashlib
    import re

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        if black_ink:
            _grays_to_black_ink(doc)
        if "/ID" in doc.trailer:  # WeasyPrint's PDF/X identifier is random too
            del doc.trailer["/ID"]
        stream = doc.Root.get("/Metadata")
        if stream is None:
            out = io.BytesIO()
            doc.save(out, deterministic_id=True)
            return out.getvalue()
        xmp = stream.read_bytes()
        pattern = rb"xmp\.did:[0-9a-fA-F-]{36}"
        digest = hashlib.sha256(re.sub(pattern, b"", xmp) + b"".join(
            page.Contents.read_bytes() if "/Contents" in page and
            isinstance(page.Contents, pikepdf.Stream) else b"" for page in doc.pages))
        uuid = digest.hexdigest()[:32]
        uuid = f"{uuid[:8]}-{uuid[8:12]}-{uuid[12:16]}-{uuid[16:20]}-{uuid[20:]}"
        stream.write(re.sub(pattern, f"xmp.did:{uuid}".encode(), xmp), filter=None)
        out = io.BytesIO()
        doc.save(out, deterministic_id=True)
        return out.getvalue()
