"""One PDF from two engines: the ledger pages typeset by ReportLab are stamped onto the
placeholder pages WeasyPrint laid out for them. The only module that imports pikepdf.

WeasyPrint's pages keep everything that spans the document — running footers with the right
page numbers and total, the table of contents' page numbers, bookmarks, metadata, PDF/A
output intent and attachments — and the ReportLab page becomes a form XObject drawn on top.
ReportLab lays out a text block centred between the two margins; each page is shifted to its
own binding side (GB/T 9704: 28 mm on the left of odd pages, on the right of even pages).
"""

from __future__ import annotations

import io

import pikepdf

from .theme import THEME

MM = 72 / 25.4


def stamp(base_pdf: bytes, ledger_pdf: bytes, page_indices: list[int]) -> bytes:
    """``page_indices[i]``: the 0-based page of ``base_pdf`` that receives ledger page i."""
    with pikepdf.open(io.BytesIO(base_pdf)) as base, pikepdf.open(io.BytesIO(ledger_pdf)) as led:
        if len(led.pages) != len(page_indices):
            raise ValueError(f"ledger has {len(led.pages)} pages, {len(page_indices)} placeholders")
        centre = (THEME.margin_left + THEME.margin_right) / 2
        for number, (src, index) in enumerate(zip(led.pages, page_indices), 1):
            target = base.pages[index]
            odd = (index + 1) % 2 == 1
            shift = ((THEME.margin_left if odd else THEME.margin_right) - centre) * MM
            # pikepdf's add_overlay would name the form XObject at random (no byte-identical
            # rebuilds); the name here is fixed, and one per page, since WeasyPrint's pages
            # share a single resource dictionary
            form = base.copy_foreign(src.as_form_xobject())
            name = target.add_resource(form, pikepdf.Name.XObject,
                                       name=pikepdf.Name(f"/Ledger{number}"))
            target.contents_add(base.make_stream(b"q\n"), prepend=True)
            target.contents_add(base.make_stream(
                f"\nQ\nq 1 0 0 1 {shift:.4f} 0 cm {name} Do Q\n".encode()))
        out = io.BytesIO()
        # deterministic_id: the file ID comes from the content, so rebuilds are identical
        base.save(out, deterministic_id=True)
        return out.getvalue()
