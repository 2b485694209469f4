"""The OFD package (GB/T 33190-2016): the XML of its pages' objects and the files around them,
laid out as ofdrw and the 电子公文 readers expect:

    OFD.xml                          entry: DocInfo (title, author, date), DocRoot
    Doc_0/Document.xml               CommonData (page area, resources), Pages, Outlines
    Doc_0/PublicRes.xml              fonts (the PDF's embedded TrueType programs)
    Doc_0/DocumentRes.xml            images
    Doc_0/Res/font_N.ttf, image_N.png
    Doc_0/Pages/Page_N/Content.xml   one Layer of TextObject / PathObject / ImageObject

Units are millimetres, the origin top left; each object's coordinates are relative to the
top-left corner of its Boundary (§8.2). IDs are unique across the package and numbered in
order, the zip's entries sorted and dated 1980-01-01: the same PDF gives the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import math
import zipfile
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

NS = "http://www.ofdspec.org/2016"
CAPS = {0: "Butt", 1: "Round", 2: "Square"}
JOINS = {0: "Miter", 1: "Round", 2: "Bevel"}


def fmt(value: float) -> str:
    """A number as OFD writes it: at most 3 decimals (a micrometre), no trailing zeros."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _box(points, pad: float) -> tuple[float, float, float, float]:
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    x, y = min(xs) - pad, min(ys) - pad
    return x, y, max(max(xs) + pad - x, 0.01), max(max(ys) + pad - y, 0.01)


def _colour(tag: str, rgb, alpha: float = 1.0) -> str:
    a = "" if alpha >= 1 else f' Alpha="{round(alpha * 255)}"'
    return f'<ofd:{tag} Value="{rgb[0]} {rgb[1]} {rgb[2]}"{a}/>'


@dataclass
class Font:
    id: int
    name: str
    file: str | None
    bold: bool = False
    serif: bool = False


@dataclass
class Image:
    id: int
    file: str
    kind: str


@dataclass
class Package:
    title: str
    author: str
    date: str
    creator: str
    fonts: list = field(default_factory=list)
    images: list = field(default_factory=list)
    pages: list = field(default_factory=list)  # (size mm, page ID, objects' XML)
    files: dict = field(default_factory=dict)  # path in the package → bytes
    outline: list = field(default_factory=list)
    last_id: int = 0

    def new_id(self) -> int:
        self.last_id += 1
        return self.last_id

    def add_font(self, name: str, program: bytes | None, bold=False, serif=False) -> Font:
        font = Font(self.new_id(), name, None, bold, serif)
        if program:
            font.file = f"font_{font.id}.ttf"
            self.files[f"Doc_0/Res/{font.file}"] = program
        self.fonts.append(font)
        return font

    def add_image(self, data: bytes, kind: str) -> Image:
        image = Image(self.new_id(), "", kind)
        image.file = f"image_{image.id}.{'jpg' if kind == 'JPEG' else 'png'}"
        self.files[f"Doc_0/Res/{image.file}"] = data
        self.images.append(image)
        return image

    def image_object(self, image: Image, m) -> str:
        """An image drawn through the device matrix ``m`` (PDF image space, v up → mm)."""
        a, b, c, d, e, f = m
        corners = [(e, f), (a + e, b + f), (c + e, d + f), (a + c + e, b + d + f)]
        x, y, w, h = _box(corners, 0)
        ctm = (a, b, -c, -d, c + e - x, d + f - y)
        return (f'<ofd:ImageObject ID="{self.new_id()}" Boundary="{fmt(x)} {fmt(y)} {fmt(w)} '
                f'{fmt(h)}" CTM="{" ".join(fmt(v) for v in ctm)}" ResourceID="{image.id}"/>')

    def add_page(self, size: tuple[float, float], objects: list[str]) -> None:
        page_id = self.new_id()
        layer_id = self.new_id()
        self.pages.append((size, page_id, layer_id, objects))

    # ── the package ─────────────────────────────────────────────────────────────────────
    def _outline_xml(self) -> str:
        def elems(items):
            out = []
            for title, index, children in items:
                action = ""
                if index is not None and index < len(self.pages):
                    action = (f'<ofd:Actions><ofd:Action Event="CLICK"><ofd:Goto>'
                              f'<ofd:Dest Type="Fit" PageID="{self.pages[index][1]}"/>'
                              f'</ofd:Goto></ofd:Action></ofd:Actions>')
                out.append(f'<ofd:OutlineElem Title={quoteattr(title)}>{action}'
                           f'{elems(children)}</ofd:OutlineElem>')
            return "".join(out)

        return f"<ofd:Outlines>{elems(self.outline)}</ofd:Outlines>" if self.outline else ""

    def save(self) -> bytes:
        files = dict(self.files)
        size = self.pages[0][0] if self.pages else (210, 297)
        page_refs = []
        for n, (page_size, page_id, layer_id, objects) in enumerate(self.pages):
            area = ("" if page_size == size else
                    f"<ofd:Area><ofd:PhysicalBox>0 0 {fmt(page_size[0])} {fmt(page_size[1])}"
                    f"</ofd:PhysicalBox></ofd:Area>")
            files[f"Doc_0/Pages/Page_{n}/Content.xml"] = _xml(
                f'<ofd:Page xmlns:ofd="{NS}">{area}<ofd:Content><ofd:Layer ID="{layer_id}" '
                f'Type="Body">{"".join(objects)}</ofd:Layer></ofd:Content></ofd:Page>')
            page_refs.append(f'<ofd:Page ID="{page_id}" BaseLoc="Pages/Page_{n}/Content.xml"/>')
        fonts = "".join(
            f'<ofd:Font ID="{f.id}" FontName={quoteattr(f.name)} FamilyName={quoteattr(f.name)}'
            + (' Bold="true"' if f.bold else "") + (' Serif="true"' if f.serif else "") + ">"
            + (f"<ofd:FontFile>{f.file}</ofd:FontFile>" if f.file else "") + "</ofd:Font>"
            for f in self.fonts)
        files["Doc_0/PublicRes.xml"] = _xml(
            f'<ofd:Res xmlns:ofd="{NS}" BaseLoc="Res">'
            + (f"<ofd:Fonts>{fonts}</ofd:Fonts>" if fonts else "") + "</ofd:Res>")
        media = "".join(
            f'<ofd:MultiMedia ID="{i.id}" Type="Image" Format="{i.kind}">'
            f"<ofd:MediaFile>{i.file}</ofd:MediaFile></ofd:MultiMedia>" for i in self.images)
        files["Doc_0/DocumentRes.xml"] = _xml(
            f'<ofd:Res xmlns:ofd="{NS}" BaseLoc="Res">'
            + (f"<ofd:MultiMedias>{media}</ofd:MultiMedias>" if media else "") + "</ofd:Res>")
        files["Doc_0/Document.xml"] = _xml(
            f'<ofd:Document xmlns:ofd="{NS}"><ofd:CommonData>'
            f"<ofd:MaxUnitID>{self.last_id}</ofd:MaxUnitID>"
            f"<ofd:PageArea><ofd:PhysicalBox>0 0 {fmt(size[0])} {fmt(size[1])}"
            f"</ofd:PhysicalBox></ofd:PageArea>"
            f"<ofd:PublicRes>PublicRes.xml</ofd:PublicRes>"
            f"<ofd:DocumentRes>DocumentRes.xml</ofd:DocumentRes></ofd:CommonData>"
            f'<ofd:Pages>{"".join(page_refs)}</ofd:Pages>{self._outline_xml()}</ofd:Document>')
        digest = hashlib.sha256()
        for name in sorted(files):
            digest.update(name.encode() + b"\0" + files[name])
        info = [f"<ofd:DocID>{digest.hexdigest()[:32]}</ofd:DocID>"]
        if self.title:
            info.append(f"<ofd:Title>{escape(self.title)}</ofd:Title>")
        if self.author:
            info.append(f"<ofd:Author>{escape(self.author)}</ofd:Author>")
        if self.date:
            info.append(f"<ofd:CreationDate>{escape(self.date)}</ofd:CreationDate>")
        info.append(f"<ofd:Creator>{escape(self.creator)}</ofd:Creator>")
        files["OFD.xml"] = _xml(
            f'<ofd:OFD xmlns:ofd="{NS}" Version="1.0" DocType="OFD"><ofd:DocBody>'
            f'<ofd:DocInfo>{"".join(info)}</ofd:DocInfo>'
            f"<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>")
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in ["OFD.xml"] + sorted(n for n in files if n != "OFD.xml"):
                entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                entry.compress_type = zipfile.ZIP_DEFLATED
                entry.external_attr = 0o644 << 16
                archive.writestr(entry, files[name])
        return out.getvalue()


def _xml(body: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body).encode("utf-8")


def path_object(obj_id: int, path: list, fill, stroke, line_width: float, even_odd: bool,
                cap: int, join: int, dash: tuple, alpha: float) -> str:
    points = [p for _, pts in path for p in pts]
    if not points:
        return ""
    x, y, w, h = _box(points, line_width / 2 if stroke else 0)
    data = []
    for op, pts in path:
        data.append(op + "".join(f" {fmt(px - x)} {fmt(py - y)}" for px, py in pts))
    attrs = [f'ID="{obj_id}"', f'Boundary="{fmt(x)} {fmt(y)} {fmt(w)} {fmt(h)}"']
    if stroke is not None:
        attrs.append(f'LineWidth="{fmt(line_width)}"')
        if cap:
            attrs.append(f'Cap="{CAPS.get(cap, "Butt")}"')
        if join:
            attrs.append(f'Join="{JOINS.get(join, "Miter")}"')
        if dash:
            attrs.append(f'DashPattern="{" ".join(fmt(d) for d in dash)}"')
    else:
        attrs.append('Stroke="false"')
    if fill is not None:
        attrs.append('Fill="true"')
        if even_odd:
            attrs.append('Rule="Even-Odd"')
    colours = ((_colour("StrokeColor", stroke, alpha) if stroke is not None else "")
               + (_colour("FillColor", fill, alpha) if fill is not None else ""))
    return (f'<ofd:PathObject {" ".join(attrs)}>{colours}'
            f'<ofd:AbbreviatedData>{" ".join(data)}</ofd:AbbreviatedData></ofd:PathObject>')


def text_object(obj_id: int, font: Font, glyphs: list, end, fill, alpha: float,
                stroke: bool = False) -> str:
    """``glyphs``: (origin in page mm, characters, glyph index, text rendering matrix) of
    each glyph shown; ``end``: where the next glyph would go."""
    a, b, c, d = glyphs[0][3][:4]
    size = math.hypot(c, d) or 1.0
    # the object's space: glyphs upright, x along the baseline (mm); its CTM turns it
    # into the page's when the text is rotated or scaled unevenly
    ux, uy = a / size, b / size  # baseline direction per mm of object space
    vx, vy = -c / size, -d / size  # "down" in object space
    corners = []
    for (px, py), *_ in glyphs + [((end[0], end[1]), "", 0, None)]:
        corners += [(px + c, py + d), (px - 0.3 * c, py - 0.3 * d)]
    x, y, w, h = _box(corners, 0.5)
    det = ux * vy - uy * vx or 1.0

    def local(px, py):  # page mm → object space (inverse of the CTM, from the Boundary)
        dx, dy = px - x, py - y
        return (dx * vy - dy * vx) / det, (-dx * uy + dy * ux) / det

    upright = abs(ux - 1) < 1e-6 and abs(uy) < 1e-6 and abs(vx) < 1e-6 and abs(vy - 1) < 1e-6
    attrs = [f'ID="{obj_id}"', f'Boundary="{fmt(x)} {fmt(y)} {fmt(w)} {fmt(h)}"',
             f'Font="{font.id}"', f'Size="{fmt(size)}"']
    if not upright:
        attrs.append(f'CTM="{fmt(ux)} {fmt(uy)} {fmt(vx)} {fmt(vy)} 0 0"')
    if stroke:
        attrs.append('Stroke="true"')
    codes, positions, transforms, position = [], [], [], 0
    simple = all(len(chars) == 1 for _, chars, _, _ in glyphs)
    for origin, chars, gid, _ in glyphs:
        chars = chars or " "
        codes.append(chars)
        lx, ly = local(*origin)
        positions.append((lx, ly))
        positions.extend([(lx, ly)] * (len(chars) - 1))
        if not simple:
            transforms.append(f'<ofd:CGTransform CodePosition="{position}" '
                              f'CodeCount="{len(chars)}" GlyphCount="1">'
                              f"<ofd:Glyphs>{gid}</ofd:Glyphs></ofd:CGTransform>")
        position += len(chars)
    if simple:
        transforms.append(f'<ofd:CGTransform CodePosition="0" CodeCount="{len(glyphs)}" '
                          f'GlyphCount="{len(glyphs)}"><ofd:Glyphs>'
                          f'{" ".join(str(g[2]) for g in glyphs)}</ofd:Glyphs></ofd:CGTransform>')
    x0, y0 = positions[0]
    delta_x = [positions[i + 1][0] - positions[i][0] for i in range(len(positions) - 1)]
    delta_y = [positions[i + 1][1] - positions[i][1] for i in range(len(positions) - 1)]
    code = [f'X="{fmt(x0)}"', f'Y="{fmt(y0)}"']
    if delta_x:
        code.append(f'DeltaX="{" ".join(fmt(v) for v in delta_x)}"')
    if any(abs(v) > 1e-4 for v in delta_y):
        code.append(f'DeltaY="{" ".join(fmt(v) for v in delta_y)}"')
    text = escape("".join(codes))
    return (f'<ofd:TextObject {" ".join(attrs)}>{_colour("FillColor", fill, alpha)}'
            f'{"".join(transforms)}<ofd:TextCode {" ".join(code)}>{text}</ofd:TextCode>'
            f"</ofd:TextObject>")

