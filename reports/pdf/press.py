"""The print shop's last steps on a finished PDF/X-4 (report build --print, report
delegations --print): RGB greys as black ink, crop marks outside the bleed on media widened
for them, and reproducible identifiers."""

from __future__ import annotations

import hashlib
import io
import re

import pikepdf


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


MM = 72 / 25.4
MARK_LENGTH = 5  # mm
MARK_WIDTH = 0.25  # pt


def _crop_marks(doc, slug_mm: float) -> None:
    """Widen each page's MediaBox to ``slug_mm`` beyond the TrimBox and draw crop marks in
    black ink from the edge of the bleed outwards (GB/T and print-shop practice: marks never
    inside the bleed, where they would be printed on the trimmed-off paper's edge and show)."""
    for page in doc.pages:
        trim = [float(x) for x in page.obj.get("/TrimBox", page.mediabox)]
        bleed = [float(x) for x in page.obj.get("/BleedBox", trim)]
        offset = max(trim[0] - bleed[0], trim[1] - bleed[1], bleed[2] - trim[2],
                     bleed[3] - trim[3])
        slug = slug_mm * MM
        page.obj.MediaBox = pikepdf.Array([trim[0] - slug, trim[1] - slug,
                                           trim[2] + slug, trim[3] + slug])
        near, far = offset, min(offset + MARK_LENGTH * MM, slug)
        ops = [f"q 0 0 0 1 K {MARK_WIDTH} w 0 J []0 d"]
        for x, sx in ((trim[0], -1), (trim[2], 1)):
            for y, sy in ((trim[1], -1), (trim[3], 1)):
                ops.append(f"{x + sx * near:.3f} {y:.3f} m {x + sx * far:.3f} {y:.3f} l S")
                ops.append(f"{x:.3f} {y + sy * near:.3f} m {x:.3f} {y + sy * far:.3f} l S")
        ops.append("Q")
        page.contents_add(doc.make_stream(("\n".join(ops) + "\n").encode()))


def for_press(pdf: bytes, black_ink: bool = True, slug_mm: float | None = None) -> bytes:
    """The print variant's last steps: greys as black ink (``black_ink``), crop marks
    outside the bleed on media ``slug_mm`` beyond the trim (when given), and a
    content-derived XMP DocumentID in place of WeasyPrint's random one (PDF/X writes uuid4),
    so that the same input gives the same bytes."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        if black_ink:
            _grays_to_black_ink(doc)
        if slug_mm:
            _crop_marks(doc, slug_mm)
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
