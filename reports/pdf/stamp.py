"""One PDF from two engines: pages of one PDF (ReportLab's: the 附表 ledger, the charts, a
handout's page marks) stamped onto pages of another (WeasyPrint's), each at a given offset.

WeasyPrint's pages keep everything that spans the document — running footers with the right
page numbers and total, the table of contents' page numbers, bookmarks, metadata, PDF/A
output intent and attachments — and each stamped page becomes a form XObject drawn on top.
Where each page goes is worked out by the layout (typeset/placement.py); this module only
combines bytes, with names fixed so that the same input gives the same bytes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pikepdf


@dataclass(frozen=True)
class Stamp:
    page: int  # 0-based page of the base PDF
    source: bytes  # a PDF (ReportLab's)
    source_page: int  # 0-based page of it
    x: float  # offset of the source page's origin, pt
    y: float
    # in a tagged PDF (structure.py): ("Figure", alt text), ("Table", rows of (tag, MCID));
    # None: an artifact
    tag: tuple | None = None


@dataclass(frozen=True)
class Text:
    """A line of text (a page's running footer), an artifact, in fonts of a source page."""

    page: int  # 0-based page of the base PDF
    source: bytes  # a PDF (ReportLab's)
    source_page: int  # 0-based page of it, whose /Font resources the runs name
    x: float  # start of the baseline, pt
    y: float
    size: float  # pt
    rgb: tuple  # fill colour
    runs: tuple  # (font resource name on the source page, its codes)


# what a new page takes over from the page before it
PAGE_KEYS = ("/MediaBox", "/CropBox", "/BleedBox", "/TrimBox", "/ArtBox", "/Rotate",
             "/Resources")


def stamp(base_pdf: bytes, stamps: list[Stamp], mark_fonts: set[str] | None = None,
          texts: list[Text] = (), inserts: tuple = ()) -> bytes:
    """``mark_fonts``: first mark the base's lines in those faces (actualtext.py), in the same
    pass: the PDF is opened and written once. ``inserts``: (after, count): ``count`` new,
    empty pages after page ``after`` of the base (its boxes and resources), before the stamps
    and texts are placed, whose page numbers count them."""
    from .structure import Structure

    with pikepdf.open(io.BytesIO(base_pdf)) as base:
        if mark_fonts:
            from .actualtext import mark_document

            mark_document(base, mark_fonts)
        for after, count in sorted(inserts, reverse=True):
            like = base.pages[after].obj
            for _ in range(count):
                page = pikepdf.Dictionary(Type=pikepdf.Name.Page,
                                          **{k[1:]: like[k] for k in PAGE_KEYS if k in like})
                base.pages.insert(after + 1, pikepdf.Page(page))
        structure = Structure(base)
        sources: dict[int, pikepdf.Pdf] = {}

        def source(data: bytes) -> pikepdf.Pdf:
            if id(data) not in sources:
                sources[id(data)] = pikepdf.open(io.BytesIO(data))
            return sources[id(data)]

        try:
            wrapped: set[int] = set()  # pages whose own content is already inside q … Q
            for n, s in enumerate(stamps, 1):
                src = source(s.source).pages[s.source_page]
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
                begin, end = b"", b""
                if structure.tagged:
                    begin, end = b"/Artifact BMC\n", b"EMC\n"
                    if s.tag and s.tag[0] == "Figure":
                        begin, end = structure.figure(target, s.tag[1])
                    elif s.tag and s.tag[0] == "Table" and structure.table(target, form,
                                                                          s.tag[1]):
                        begin, end = b"", b""
                target.contents_add(base.make_stream(
                    begin + f"q 1 0 0 1 {s.x:.4f} {s.y:.4f} cm {name} Do Q\n".encode() + end))
            _write_texts(base, texts, source, structure.tagged)
        finally:
            for pdf in sources.values():
                pdf.close()
        out = io.BytesIO()
        # deterministic_id: the file ID comes from the content, so rebuilds are identical;
        # a tagged PDF's many small structure elements go into object streams
        options = ({"object_stream_mode": pikepdf.ObjectStreamMode.generate}
                   if structure.tagged else {})
        base.save(out, deterministic_id=True, **options)
        return out.getvalue()


def copies_in_one(base_pdf: bytes, marks: list[bytes], pages: int) -> bytes:
    """All numbered copies in one file, for the printer (one job instead of twenty): the
    base's pages once per copy — sharing its fonts and content streams, so the file is not
    twenty times the size — each copy's marks stamped on its own pages. Bookmarks and metadata
    are the base's. Same inputs, same bytes."""
    with pikepdf.open(io.BytesIO(base_pdf)) as base:
        # a job for the printer: the same pages over and over cannot share one structure
        # tree (each copy's file keeps its own)
        for key in ("/StructTreeRoot", "/MarkInfo"):
            if key in base.Root:
                del base.Root[key]
        for page in base.pages:
            if "/StructParents" in page.obj:
                del page.obj["/StructParents"]
        originals = list(base.pages)
        for _ in range(len(marks) - 1):
            for page in originals:
                base.pages.append(page)
                contents = base.pages[-1].obj.get("/Contents")
                if isinstance(contents, pikepdf.Array):  # its own list, to stamp onto
                    base.pages[-1].obj.Contents = pikepdf.Array(list(contents))
        buffer = io.BytesIO()
        base.save(buffer, deterministic_id=True)
    return stamp(buffer.getvalue(), [Stamp(k * pages + i, m, i, 0, 0)
                                     for k, m in enumerate(marks) for i in range(pages)])


def _write_texts(base: pikepdf.Pdf, texts: list[Text], source, tagged: bool) -> None:
    """Each text on its page, in its source page's fonts (copied once, under fixed names)."""
    fonts: dict[tuple, tuple] = {}  # (source, page, font) → (name here, the copied font)
    for t in texts:
        target = base.pages[t.page]
        ops = [b"/Artifact BMC\n" if tagged else b"",
               b"q %.6f %.6f %.6f rg BT 1 0 0 1 %.4f %.4f Tm\n" % (*t.rgb, t.x, t.y)]
        for font, codes in t.runs:
            key = (id(t.source), t.source_page, font)
            if key not in fonts:
                resources = source(t.source).pages[t.source_page].obj.Resources
                fonts[key] = (pikepdf.Name(f"/Footer{len(fonts) + 1}"),
                              base.copy_foreign(resources.Font[font]))
            name, copied = fonts[key]
            target.add_resource(copied, pikepdf.Name.Font, name=name)
            ops.append(b"%s %.4f Tf <%s> Tj\n" % (str(name).encode(), t.size, codes.hex().encode()))
        ops.append(b"ET Q\n" + (b"EMC\n" if tagged else b""))
        target.contents_add(base.make_stream(b"".join(ops)))
