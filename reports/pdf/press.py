"""The print shop's last steps on a finished PDF/X-4 (report build --print, report
delegations --print): RGB greys as black ink, and reproducible identifiers."""

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


def for_press(pdf: bytes, black_ink: bool = True) -> bytes:
    """The print variant's last steps: greys as black ink (``black_ink``), and a
    content-derived XMP DocumentID in place of WeasyPrint's random one (PDF/X writes uuid4),
    so that the same input gives the same bytes."""
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
