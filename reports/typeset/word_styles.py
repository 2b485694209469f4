"""The Word document's styles (typeset/word.py): what a template author would change in
Word's style pane, kept apart from the walking of the HTML.

Faces are named as offices have them, each with the bundled family as its alternate in the
font table (w:altName): Word and LibreOffice use the alternate where the office font is not
installed, so the document looks right on a bare machine too.
"""

from __future__ import annotations

from dataclasses import dataclass

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from .theme import THEME


@dataclass(frozen=True)
class Face:
    office: str  # as offices have it
    bundled: str  # the family in fonts/, its alternate


FACES = {
    "body": Face("仿宋", THEME.serif),  # GB/T 9704 body text: 仿宋
    "serif": Face("宋体", THEME.serif),
    "sans": Face("黑体", THEME.sans),
    "kai": Face("楷体", THEME.kai),
}
# an English handout: Latin faces throughout (a CJK face would set ’ and “ full width)
FACES_EN = {
    "body": Face("Times New Roman", THEME.serif),
    "serif": Face("Times New Roman", THEME.serif),
    "sans": Face("Arial", THEME.sans),
    "kai": Face("Times New Roman", THEME.serif),
}


def _colour(value: str) -> RGBColor:
    return RGBColor.from_string(value.lstrip("#").upper())


def _paragraph_style(doc, name: str, face: Face, size: float, base: str = "Normal",
                     bold: bool = False, colour: str | None = None, align=None,
                     indent_chars: int = 0, before: float = 0, after: float = 0,
                     line: float | None = None, keep_with_next: bool = False):
    styles = doc.styles
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles[base]
    style.quick_style = True
    font = style.font
    font.name = face.office
    font.size = Pt(size)
    font.bold = bold
    font.italic = False
    font.color.rgb = _colour(colour or THEME.text)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), face.office)
    p_pr = style.element.get_or_add_pPr()
    for inherited in p_pr.findall(qn("w:pBdr")):  # the default template's Title has a rule
        p_pr.remove(inherited)
    fmt = style.paragraph_format
    if align is not None:
        fmt.alignment = align
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    fmt.keep_with_next = keep_with_next
    if line:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(line)
    else:
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    if indent_chars:  # two characters whatever the size: w:firstLineChars (hundredths)
        fmt.first_line_indent = Pt(size * indent_chars)
        ind = style.element.get_or_add_pPr().find(qn("w:ind"))
        ind.set(qn("w:firstLineChars"), str(indent_chars * 100))
    return style


def setup_styles(doc, chinese: bool = True) -> None:
    faces = FACES if chinese else FACES_EN
    body = THEME.body_size
    normal = _paragraph_style(doc, "Normal", faces["body"], body, line=body * 1.75)
    p_pr = normal.element.get_or_add_pPr()
    for name in ("w:autoSpaceDE", "w:autoSpaceDN"):  # no extra space between Chinese and
        flag = OxmlElement(name)  # Latin letters or digits: as the PDF sets 1-10月
        flag.set(qn("w:val"), "0")
        p_pr.append(flag)
    _paragraph_style(doc, "Body Text", faces["body"], body, indent_chars=2, line=body * 1.75,
                     align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _paragraph_style(doc, "Title", faces["serif"], THEME.title_size, bold=True, colour=THEME.red,
                     align=WD_ALIGN_PARAGRAPH.CENTER, after=6)
    _paragraph_style(doc, "Heading 1", faces["sans"], 16, line=16 * 1.6, before=14, after=6,
                     keep_with_next=True)
    _paragraph_style(doc, "Heading 2", faces["kai"], 15, indent_chars=2, line=15 * 1.6, before=8,
                     after=3, keep_with_next=True)
    for name in ("Heading 1", "Heading 2"):  # the outline (navigation pane, a contents field)
        doc.styles[name].element.get_or_add_pPr()
    _paragraph_style(doc, "Mark", faces["sans"], 10.5, after=10)
    _paragraph_style(doc, "Issue", faces["serif"], 15, align=WD_ALIGN_PARAGRAPH.CENTER, before=8,
                     after=10)
    _paragraph_style(doc, "Masthead Meta", faces["sans"], 12, after=14)
    _paragraph_style(doc, "Table Caption", faces["sans"], 10.5, bold=True,
                     align=WD_ALIGN_PARAGRAPH.CENTER, before=6, keep_with_next=True)
    _paragraph_style(doc, "Unit", faces["sans"], 8.5, colour=THEME.muted,
                     align=WD_ALIGN_PARAGRAPH.RIGHT, keep_with_next=True)
    _paragraph_style(doc, "Table Text", faces["sans"], THEME.table_size)
    _paragraph_style(doc, "Note", faces["sans"], 8.5, colour=THEME.muted, after=4)
    _paragraph_style(doc, "Plain", faces["body"], body, line=body * 1.75)
    _paragraph_style(doc, "Footer", faces["sans"], 14)
    _paragraph_style(doc, "Figure", faces["sans"], 9.5, align=WD_ALIGN_PARAGRAPH.CENTER, before=6,
                     keep_with_next=True)
    _paragraph_style(doc, "Caption", faces["sans"], 9.5, colour=THEME.muted,
                     align=WD_ALIGN_PARAGRAPH.CENTER, after=6)
    colophon = _paragraph_style(doc, "Colophon", faces["body"], 14, line=14 * 1.6)
    colophon.paragraph_format.left_indent = Pt(14 * 4)  # 报送： then names aligned after it
    colophon.paragraph_format.first_line_indent = Pt(-14 * 3)
    colophon.paragraph_format.right_indent = Pt(14)
    _table_style(doc, faces["sans"])
    _font_alternates(doc, faces)


def _table_style(doc, sans: Face) -> None:
    styles = doc.styles
    try:
        styles["Data Table"]
        return
    except KeyError:
        style = styles.add_style("Data Table", WD_STYLE_TYPE.TABLE)
    style.base_style = styles["Table Grid"]
    style.font.name = sans.office
    style.font.size = Pt(THEME.table_size)


def _font_alternates(doc, faces: dict) -> None:
    """Each office face in the font table, its bundled family as w:altName."""
    from lxml import etree

    part = doc.part.part_related_by(RT.FONT_TABLE)
    xml_part = hasattr(part, "element")
    table = part.element if xml_part else etree.fromstring(part.blob)
    present = {f.get(qn("w:name")): f for f in table.iterfind(qn("w:font"))}
    for face in faces.values():
        font = present.get(face.office)
        if font is None:
            font = OxmlElement("w:font")
            font.set(qn("w:name"), face.office)
            table.append(font)
            present[face.office] = font
        if font.find(qn("w:altName")) is None:
            alt = OxmlElement("w:altName")
            alt.set(qn("w:val"), face.bundled)
            font.insert(0, alt)
        if font.find(qn("w:charset")) is None:
            charset = OxmlElement("w:charset")
            charset.set(qn("w:val"), "86")  # GB2312
            later = [i for i, child in enumerate(font)
                     if child.tag not in (qn("w:altName"), qn("w:panose1"))]
            font.insert(later[0] if later else len(font), charset)
    if not xml_part:
        part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8",
                                    standalone=True)
