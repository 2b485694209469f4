"""The briefing as a Word document (.docx) an office can edit: the only module that imports
python-docx.

It is written from the same HTML the PDF is laid out from (the ledger as a table, each chart
an empty box), so it carries the same sentences and figures; the charts come in as pictures
of ReportLab's drawing at print resolution (pdf/preview.py). The HTML is walked block by
block: the 报头 (red title, issue line, publisher and date, red rule), headings 一、 and （一）
as Word's Heading 1 and Heading 2 styles, body paragraphs with a first-line indent of two
characters, tables as Word tables (header rows repeated on every page, number columns
right-aligned, 合计 rows bold), the 附表 on a new page, the 版记 between its rules, and page
numbers "— N —" in the footer (odd pages right, even pages left: GB/T 9704 §7.5).

Fonts are named as offices have them (word_styles.FACES: 仿宋, 黑体, 楷体, 宋体); the font table
gives the bundled families as their alternates, which Word and LibreOffice use where the
office font is missing. python-docx lacks a few things written here as OOXML: fields, the
header-row flag, paragraph borders, character-based indents, mirrored margins, alternates.
"""

from __future__ import annotations

import io
import re

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import nsmap, qn
from docx.shared import Mm, Pt, RGBColor
from lxml import html as lxml_html

from .theme import THEME
from .word_styles import setup_styles

# cell classes: n / num numbers (right), c centred
ALIGN = {"n": WD_ALIGN_PARAGRAPH.RIGHT, "num": WD_ALIGN_PARAGRAPH.RIGHT,
         "c": WD_ALIGN_PARAGRAPH.CENTER}
BLOCKS = {"div", "p", "table", "h1", "h2", "h3", "h4", "ul", "ol", "dl", "figure", "section",
          "article", "header", "footer", "nav", "img"}
RED = RGBColor.from_string(THEME.red.lstrip("#").upper())
MUTED = RGBColor.from_string(THEME.muted.lstrip("#").upper())


def _classes(el) -> set[str]:
    return set((el.get("class") or "").split())


def _text(el) -> str:
    """An element's text as printed: <br> a line break, runs of white space one space (none
    between Chinese characters: the HTML breaks lines only between tags)."""
    parts = []

    def walk(node):
        if node.tag == "br":
            parts.append("\n")
        elif node.text:
            parts.append(node.text)
        for child in node:
            if not isinstance(child.tag, str):  # comments
                if child.tail:
                    parts.append(child.tail)
                continue
            walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(el)
    text = "".join(parts)
    text = re.sub(r"[ \t\r]*\n[ \t\r]*", lambda m: "\n" if "\n" in m.group() else "", text)
    return re.sub(r"[ \t]+", " ", text).strip(" ")


def _set_font(run, size: float | None = None, bold: bool | None = None,
              color: RGBColor | None = None) -> None:
    """A run's size, weight, colour; its face is its paragraph style's (word_styles.py)."""
    if size:
        run.font.size = Pt(size)
    if bold is not None:
        run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color


def _add_text(paragraph, text: str, **font):
    lines = text.split("\n")
    for i, line in enumerate(lines):
        run = paragraph.add_run(line)
        if font:
            _set_font(run, **font)
        if i < len(lines) - 1:
            run.add_break()
    return paragraph


def _border(paragraph, side: str, size_eighths: int, color: str) -> None:
    p_pr = paragraph._p.get_or_add_pPr()
    borders = p_pr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        p_pr.append(borders)
    line = OxmlElement(f"w:{side}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(size_eighths))
    line.set(qn("w:space"), "1")
    line.set(qn("w:color"), color.lstrip("#"))
    borders.append(line)


def _field(paragraph, instruction: str, shown: str, **font) -> None:
    """A Word field (PAGE): begin, instruction, separator, the value shown until updated."""
    for kind, text in (("begin", None), (None, instruction), ("separate", None),
                       (None, shown), ("end", None)):
        run = paragraph.add_run()
        _set_font(run, **font)
        if kind:
            mark = OxmlElement("w:fldChar")
            mark.set(qn("w:fldCharType"), kind)
            run._r.append(mark)
        elif text == instruction:
            code = OxmlElement("w:instrText")
            code.set(qn("xml:space"), "preserve")
            code.text = f" {instruction} "
            run._r.append(code)
        else:
            run.text = text


class Writer:
    def __init__(self, charts: dict[str, tuple[bytes, float]], title: str, author: str,
                 language: str = "zh-CN"):
        """``charts``: chart name → (PNG, width in pt); ``language``: the HTML's lang (an
        English handout is set in Latin faces throughout)."""
        self.doc = Document()
        self.charts = charts
        self.chinese = language.lower().startswith("zh")
        setup_styles(self.doc, self.chinese)
        props = self.doc.core_properties
        props.title, props.author, props.language = title, author, language
        props.comments = ""
        # no "now": the same briefing gives the same document
        from datetime import datetime

        props.created = props.modified = datetime(2000, 1, 1)
        props.last_modified_by = author
        props.revision = 1
        self._page_setup()

    # ── the page ────────────────────────────────────────────────────────────────────────
    def _page_setup(self) -> None:
        t = THEME
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(t.page_width), Mm(t.page_height)
        section.top_margin, section.bottom_margin = Mm(t.margin_top), Mm(t.margin_bottom)
        section.left_margin, section.right_margin = Mm(t.margin_left), Mm(t.margin_right)
        section.footer_distance = Mm(t.margin_bottom - 7 - 7)
        settings = self.doc.settings.element
        mirror = OxmlElement("w:mirrorMargins")  # the binding edge alternates, as in the PDF
        settings.insert(0, mirror)
        self.doc.settings.odd_and_even_pages_header_footer = True
        for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
                              (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
            p = footer.paragraphs[0]
            p.style = self.doc.styles["Footer"]
            p.alignment = align
            indent = Pt(14)  # inset one character from the edge of the text block
            if align == WD_ALIGN_PARAGRAPH.RIGHT:
                p.paragraph_format.right_indent = indent
            else:
                p.paragraph_format.left_indent = indent
            _add_text(p, "— ", size=14)
            _field(p, "PAGE", "1", size=14)
            _add_text(p, " —", size=14)

    # ── blocks ──────────────────────────────────────────────────────────────────────────
    def block(self, el) -> None:
        tag, cls = el.tag, _classes(el)
        if tag in ("script", "style", "nav") or "colophon-space" in cls or "ph" in cls:
            return
        if tag == "header" and "masthead" in cls:
            return self.masthead(el)
        if tag == "footer" and "colophon" in cls:
            return self.colophon(el)
        if tag == "h1":
            return self.heading(el, 0)
        if tag == "h2":
            if el.get("id") == "h-ledger":
                self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            return self.heading(el, 1)
        if tag == "h3":
            return self.heading(el, 2)
        if tag == "p":
            return self.paragraph(el)
        if tag == "table":
            return self.table(el)
        if tag == "figure":
            return self.figure(el)
        if tag == "div" and "kpis" in cls:
            return self.kpis(el)
        if tag == "div" and ("caption" in cls or "unit" in cls):
            p = self.doc.add_paragraph(style="Table Caption" if "caption" in cls else "Unit")
            return _add_text(p, _text(el))
        if tag in ("ul", "ol"):
            for li in el.iterfind("li"):
                _add_text(self.doc.add_paragraph(style="Body Text"), _text(li))
            return
        if tag == "dl":  # a project's particulars: 名称：… one a line
            colon = "：" if self.chinese else ": "
            for dt in el.iterfind("dt"):
                dd = dt.getnext()
                value = _text(dd) if dd is not None and dd.tag == "dd" else ""
                _add_text(self.doc.add_paragraph(style="Plain"), _text(dt) + colon + value)
            return
        if tag == "img":
            return  # a picture of the page (the handout's QR code): its text stays beside it
        if not any(isinstance(c.tag, str) and c.tag in BLOCKS for c in el.iter() if c is not el):
            if _text(el):  # a block of text alone (a cover's lines, a contact's name)
                _add_text(self.doc.add_paragraph(style="Plain"), _text(el))
            return
        for child in el:  # section, div, article …: what is inside
            if isinstance(child.tag, str):
                self.block(child)

    def heading(self, el, level: int) -> None:
        style = {0: "Title", 1: "Heading 1", 2: "Heading 2"}[level]
        _add_text(self.doc.add_paragraph(style=style), _text(el))

    def paragraph(self, el) -> None:
        cls = _classes(el)
        style = "Note" if "note" in cls else "Body Text"
        _add_text(self.doc.add_paragraph(style=style), _text(el))

    def masthead(self, el) -> None:
        mark = el.find(".//div[@class='mark']")
        if mark is not None:
            _add_text(self.doc.add_paragraph(style="Mark"), _text(mark))
        title = el.find(".//h1")
        _add_text(self.doc.add_paragraph(style="Title"), _text(title))
        issue = el.find(".//div[@class='issue']")
        if issue is not None:
            _add_text(self.doc.add_paragraph(style="Issue"), _text(issue))
        meta = el.find(".//div[@class='meta']")
        p = self.doc.add_paragraph(style="Masthead Meta")
        if meta is not None:
            spans = [_text(s) for s in meta.iterfind("span")]
            p.paragraph_format.tab_stops.add_tab_stop(
                Mm(THEME.text_width), WD_TAB_ALIGNMENT.RIGHT)
            _add_text(p, "\t".join(spans))
        _border(p, "bottom", 18, THEME.red)  # the red rule under the 报头
        note = el.find(".//div[@class='correction-note']")
        if note is not None:
            _add_text(self.doc.add_paragraph(style="Note"), _text(note),
                      color=RED)

    def kpis(self, el) -> None:
        cards = [k for k in el.iterfind("div") if "kpi" in _classes(k)]
        table = self.doc.add_table(rows=1, cols=len(cards))
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _full_width(table)
        for cell, card in zip(table.rows[0].cells, cards):
            cell.paragraphs[0].style = self.doc.styles["Table Text"]
            first = True
            for part, size, bold in (("label", 11, True), ("value", 15, True),
                                     ("note", 10.5, False)):
                div = card.find(f"div[@class='{part}']")
                if div is None or not _text(div):
                    continue
                p = cell.paragraphs[0] if first else cell.add_paragraph(style="Table Text")
                first = False
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                _add_text(p, _text(div), size=size, bold=bold)

    def figure(self, el) -> None:
        box = el.find(".//*[@id]")
        name = (box.get("id") or "").removeprefix("chart-") if box is not None else ""
        if name in self.charts:
            png, width = self.charts[name]
            p = self.doc.add_paragraph(style="Figure")
            p.add_run().add_picture(io.BytesIO(png), width=Pt(width))
        caption = el.find("figcaption")
        if caption is not None:
            _add_text(self.doc.add_paragraph(style="Caption"), _text(caption))

    def table(self, el) -> None:
        rows = el.findall(".//tr")
        grid: dict[tuple[int, int], object] = {}  # (row, col) → the <td>/<th> covering it
        spans = []  # (row, col, rowspan, colspan, cell element)
        for r, tr in enumerate(rows):
            c = 0
            for cell in tr:
                if cell.tag not in ("td", "th"):
                    continue
                while (r, c) in grid:
                    c += 1
                rs, cs = int(cell.get("rowspan", 1)), int(cell.get("colspan", 1))
                for dr in range(rs):
                    for dc in range(cs):
                        grid[(r + dr, c + dc)] = cell
                spans.append((r, c, rs, cs, cell))
                c += cs
        cols = max((c for _, c in grid), default=-1) + 1
        table = self.doc.add_table(rows=len(rows), cols=cols, style="Data Table")
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _full_width(table)
        widths = [col.get("style", "") for col in el.iterfind(".//col")]
        if len(widths) == cols:  # the ledger: its column widths, % of the text block
            table.autofit = False
            sizes = [Mm(THEME.text_width * float(re.search(r"([\d.]+)%", w).group(1)) / 100)
                     for w in widths]
            for column, size in zip(table.columns, sizes):
                column.width = size  # the grid (LibreOffice)
            for row in table.rows:  # each cell (Word); a row's cells found once, not per column
                for cell, size in zip(row.cells, sizes):
                    cell.width = size
        head_rows = len(el.findall("./thead/tr"))
        for r in range(head_rows):  # repeated at the top of every page
            tr_pr = table.rows[r]._tr.get_or_add_trPr()
            flag = OxmlElement("w:tblHeader")
            tr_pr.append(flag)
        for r, c, rs, cs, _ in spans:  # merged cells first (the header's), then each once:
            if rs > 1 or cs > 1:  # python-docx finds a cell by walking the whole table
                table.cell(r, c).merge(table.cell(r + rs - 1, c + cs - 1))
        cells = table._cells
        style_id = self.doc.styles["Table Text"].style_id
        size = THEME.ledger_size if "ledger" in _classes(el) else None
        for r, c, rs, cs, cell in spans:
            target = cells[r * cols + c]
            header = cell.tag == "th"
            total = "total" in _classes(cell.getparent())
            cls = _classes(cell)
            align = (WD_ALIGN_PARAGRAPH.CENTER if header
                     else ALIGN.get(next(iter(cls & ALIGN.keys()), ""), WD_ALIGN_PARAGRAPH.LEFT))
            text, bold = _text(cell), header or total
            p = target.paragraphs[0]
            if not _cell_paragraph(p._p, style_id, align, text, bold, size):
                p._p.style = style_id
                p.alignment = align
                _add_text(p, text, bold=bold, size=size)
            if header:
                _shade(target, THEME.band)

    def colophon(self, el) -> None:
        """The 版记: thick rules first and last, a thin one between (GB/T 9704 §7.4)."""
        items = [p for p in el.iterfind("p")]
        for i, item in enumerate(items):
            p = self.doc.add_paragraph(style="Colophon")
            if "to" in _classes(item):
                label = item.find("span[@class='label']")
                lead = _text(label) if label is not None else ""
                rest = _text(item)[len(lead):]
                _add_text(p, lead + rest)
            else:
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                _add_text(p, _text(item))
            _border(p, "top", 8 if i == 0 else 4, THEME.text)
            if i == len(items) - 1:
                _border(p, "bottom", 8, THEME.text)

    def save(self) -> bytes:
        """The .docx bytes, each zip entry dated 1980-01-01 (python-docx dates them now):
        the same briefing gives the same file."""
        import zipfile

        out = io.BytesIO()
        self.doc.save(out)
        fixed = io.BytesIO()
        with zipfile.ZipFile(out) as src, zipfile.ZipFile(fixed, "w") as dst:
            for item in src.infolist():
                entry = zipfile.ZipInfo(item.filename, date_time=(1980, 1, 1, 0, 0, 0))
                entry.compress_type = zipfile.ZIP_DEFLATED
                entry.external_attr = 0o644 << 16
                dst.writestr(entry, src.read(item.filename))
        return fixed.getvalue()


def _full_width(table) -> None:
    """As wide as the text block (w:tblW in fiftieths of a per cent)."""
    tbl_pr = table._tbl.tblPr
    width = tbl_pr.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        tbl_pr.append(width)
    width.set(qn("w:type"), "pct")
    width.set(qn("w:w"), "5000")


W = f"{{{nsmap['w']}}}"  # python-docx's WordprocessingML namespace, as a Clark prefix


def _cell_paragraph(p, style_id: str, align, text: str, bold: bool, size: float | None) -> bool:
    """A table cell's empty paragraph filled as the python-docx calls in Writer.table would
    fill it — style, alignment, a run per line with its weight and size, a break between
    lines; the same XML — but built in order, without python-docx's search for each child's
    place (most of a 2,000-cell ledger's time). False, and nothing done, for what only
    python-docx writes right (a paragraph not empty, tabs or carriage returns)."""
    from docx.oxml.simpletypes import ST_HpsMeasure
    from lxml.etree import SubElement

    if len(p) or "\t" in text or "\r" in text:
        return False
    ppr = SubElement(p, W + "pPr")
    SubElement(ppr, W + "pStyle").set(W + "val", style_id)
    SubElement(ppr, W + "jc").set(W + "val", WD_ALIGN_PARAGRAPH.to_xml(align))
    half_points = ST_HpsMeasure.convert_to_xml(Pt(size)) if size else None
    lines = text.split("\n")
    for i, line in enumerate(lines):
        run = SubElement(p, W + "r")
        rpr = SubElement(run, W + "rPr")
        weight = SubElement(rpr, W + "b")
        if not bold:
            weight.set(W + "val", "0")
        if half_points:
            SubElement(rpr, W + "sz").set(W + "val", half_points)
        if line:
            t = SubElement(run, W + "t")
            t.text = line
            if line.strip() != line:
                t.set(qn("xml:space"), "preserve")
        if i < len(lines) - 1:
            SubElement(run, W + "br")
    return True


def _shade(cell, colour: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shade = OxmlElement("w:shd")
    shade.set(qn("w:val"), "clear")
    shade.set(qn("w:color"), "auto")
    shade.set(qn("w:fill"), colour.lstrip("#"))
    tc_pr.append(shade)


def docx_from_html(html: str | list[str], charts: dict[str, tuple[bytes, float]]) -> bytes:
    """The document as .docx bytes. ``html``: the briefing's HTML, or a handout's chapters
    (each a document, each after a page break); the first one's <title> and
    <meta name="author"> become the document's properties; ``charts``: chart name → (PNG at
    print resolution, width in pt)."""
    documents = [lxml_html.document_fromstring(h) for h in
                 ([html] if isinstance(html, str) else html)]
    first = documents[0]
    title = (first.findtext(".//title") or "").strip()
    author = first.xpath("string(//meta[@name='author']/@content)")
    writer = Writer(charts, title, author, first.get("lang") or "zh-CN")
    for n, root in enumerate(documents):
        if n:
            writer.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        for child in root.find("body"):
            if isinstance(child.tag, str):
                writer.block(child)
    return writer.save()
