"""Pages of a PDF as PNG pictures, for the web page's preview: rendered from the real PDF by
PDFium (pypdfium2), so what staff look at is what will be printed; and the Word document's
charts as pictures. The only module that
imports pypdfium2."""

from __future__ import annotations

from pathlib import Path

SCALE = 1.25  # 90 dpi: an A4 page 744 × 1052 pixels


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
                image.save(path, optimize=True)
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
                image.save(buffer, format="PNG", optimize=True, dpi=(dpi, dpi))
                pictures.append(buffer.getvalue())
            finally:
                page.close()
    finally:
        doc.close()
    return pictures
