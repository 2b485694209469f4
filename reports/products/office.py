"""The formats offices pass around, made beside the PDF (report build/monthly/delegations
--formats pdf,docx,ofd): Word (.docx, typeset/word.py) from the same HTML the PDF is laid out
from, with the charts as pictures of ReportLab's drawing; OFD (.ofd, pdf/ofd.py) from the
finished PDF itself. The PDF is always made: it is the record the others are made from.
"""

from __future__ import annotations

from ..data.formats import FORMATS
from ..errors import UsageError

SUFFIX = {"docx": ".docx", "ofd": ".ofd"}
CHART_DPI = 300  # the Word document's charts: print resolution


def parse_formats(value) -> tuple[str, ...]:
    """``"pdf,docx"`` or ``["pdf", "docx"]`` → ("pdf", "docx"); a clear error otherwise."""
    items = value.split(",") if isinstance(value, str) else list(value or ["pdf"])
    formats = []
    for item in items:
        name = str(item).strip().lower().lstrip(".")
        if not name:
            continue
        if name not in FORMATS:
            raise UsageError(f"错误：不认识的输出格式“{item}”，可选：{'、'.join(FORMATS)}"
                              "（如 --formats pdf,docx,ofd）")
        if name not in formats:
            formats.append(name)
    if "pdf" not in formats:
        raise UsageError("错误：输出格式须包含 pdf（Word 和 OFD 由同一份简报生成，PDF 是存档的正本），"
                          "如 --formats pdf,docx")
    return tuple(formats)


def word(html: str | list[str], rl_pdf: bytes = b"", charts: dict | None = None) -> bytes:
    """The .docx of the document as laid out (``html``: the ledger as a table, charts as empty
    boxes named chart-…; a handout's chapters as a list); ``rl_pdf``: ReportLab's PDF, whose
    first pages are the charts, in ``charts``' order (pictured at CHART_DPI)."""
    from ..pdf.preview import page_pictures
    from ..typeset.word import docx_from_html

    charts = charts or {}
    pictures = page_pictures(rl_pdf, list(range(len(charts))), CHART_DPI) if charts else []
    return docx_from_html(html, {name: (png, chart.width)
                                 for (name, chart), png in zip(charts.items(), pictures)})


def ofd(pdf: bytes, date: str) -> bytes:
    """The .ofd of the finished PDF; ``date``: the document's, YYYY-MM-DD (never "now")."""
    from ..pdf.ofd import pdf_to_ofd

    return pdf_to_ofd(pdf, date=date)
