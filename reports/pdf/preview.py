"""Pages of a PDF as PNG pictures, for the web page's preview: rendered from the real PDF by
PDFium (pypdfium2), so what staff look at is what will be printed; and the Word document's
charts as pictures. The only module that
imports pypdfium2."""

from __future__ import annotations

from pathlib import Path

SCALE = 1.25  # 90 dpi: an A4 page 744 × 1052 pixels
# zlib level 3: the sample's 12 pages in 0.2 s and 1,476 KB; PIL's optimize=True (level 9 and
# a search) took 1.28 s for 1,860 KB — the longest step of a web preview after the builds
PAGE_PNG = {"compress_level": 3}
# the Word document's charts at 300 dpi: PIL's default level 6, 0.12 s for the sample's three
# (optimize=True: 0.31 s, 1 % smaller)
CHART_PNG = {"compress_level": 6}


def render_pages(pdf: Path, out: Path, scale: float = SCALE, limit: int = 200) -> list[Path]:
    """``out/page-001.png`` … for the first ``limit`` pages; the files written."""
    import pypdfium2 as pdfium

    out.mkdir(parents=True, exist_ok=True)
    written = []
    doc = pdfium.PdfDocument(str(pdf))
    try:
        for i in range(min(len(doc), limit)):
            page = doc[i]
            try:
                image = page.render(scale=scale).to_pil()
                path = out / f"page-{i + 1:03d}.png"
                image.save(path, **PAGE_PNG)
                written.append(path)
            finally:
                page.close()
    finally:
        doc.close()
    return written


def page_pictures(pdf: bytes, pages: list[int], dpi: int = 300) -> list[bytes]:
    """Pages of a PDF in memory as PNG bytes at ``dpi`` (the Word document's charts, drawn
    by ReportLab, at print resolution). Same PDF, same bytes."""
    import io

    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    pictures = []
    try:
        for i in pages:
            page = doc[i]
            try:
                image = page.render(scale=dpi / 72).to_pil()
                buffer = io.BytesIO()
                image.save(buffer, format="PNG", dpi=(dpi, dpi), **CHART_PNG)
                pictures.append(buffer.getvalue())
            finally:
                page.close()
    finally:
        doc.close()
    return pictures
