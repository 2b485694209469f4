"""The output formats a run may ask for ([briefing] formats, --formats): the PDF, which is the
record, and beside it Word and OFD (products/office.py)."""

from __future__ import annotations

FORMATS = ("pdf", "docx", "ofd")  # the PDF (the record), Word, OFD (GB/T 33190)


def check_formats(items: list, errors: list) -> tuple[str, ...]:
    out = []
    for item in items:
        name = str(item).strip().lower()
        if name not in FORMATS:
            errors.append(f"[briefing] formats 中的“{item}”不是可用的格式（可选：{'、'.join(FORMATS)}）")
        elif name not in out:
            out.append(name)
    if out and "pdf" not in out:
        errors.append("[briefing] formats 须包含 \"pdf\"（PDF 是存档的正本，Word 和 OFD 与它同时生成）")
    return tuple(out) or ("pdf",)
