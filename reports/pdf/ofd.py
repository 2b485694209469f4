"""The finished PDF as an OFD document (GB/T 33190-2016, China's fixed-layout format): the
same pages, the same fonts embedded, text as text and drawings as vector paths.

Every page's content stream is read as a PDF reader reads it — graphics state, CTM, colours,
paths, text matrices, glyph widths, form XObjects (the stamped ReportLab charts and ledger
pages) and images — and each painted path becomes a PathObject, each shown string a
TextObject, each image an ImageObject (ofdpack.py writes them and the package around them).

Text: TextCode carries the characters (from the font's ToUnicode map, so that an OFD reader
can search and copy them), X/Y the first glyph's origin and DeltaX the advance to each next
one, as the PDF placed them; a CGTransform gives the glyph of each character in the embedded
font (GB/T 33190 §11.4), so the reader draws exactly the PDF's glyphs whatever the font's cmap
says. The fonts are the PDF's own embedded TrueType subsets (WeasyPrint's and ReportLab's).

Not carried over: clipping paths (our documents clip nothing that shows), shadings and
patterns, annotations and links, the structure tree (OFD has its own, optional).
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field

import pikepdf

from .actualtext import to_unicode
from .ofdpack import Font, Image, Package, path_object, text_object

MM = 25.4 / 72


# operators that set one number of the graphics or text state
SCALARS = {"w": ("line_width", float), "J": ("cap", int), "j": ("join", int),
           "Tc": ("char_spacing", float), "Tw": ("word_spacing", float),
           "TL": ("leading", float), "Ts": ("rise", float), "Tr": ("render", int)}


def _mul(a, b):
    """a × b for PDF matrices (row vectors: p' = p × M)."""
    return (a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3],
            a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3],
            a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5])


def _apply(m, x, y):
    return x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5]


def _rgb(operands, space: str) -> tuple[int, int, int] | None:
    v = []
    for o in operands:  # numbers (pikepdf gives int or Decimal); a pattern's name is skipped
        try:
            v.append(float(o))
        except (TypeError, ValueError):
            continue
    if space == "gray" or len(v) == 1:
        return (round(v[0] * 255),) * 3
    if len(v) == 3:
        return tuple(round(c * 255) for c in v)
    if len(v) == 4:
        c, m, y, k = v
        return tuple(round(255 * (1 - min(1, x + k))) for x in (c, m, y))
    return None


@dataclass
class State:
    ctm: tuple = (1, 0, 0, 1, 0, 0)
    fill: tuple = (0, 0, 0)
    stroke: tuple = (0, 0, 0)
    fill_space: str = "rgb"
    stroke_space: str = "rgb"
    line_width: float = 1.0
    cap: int = 0
    join: int = 0
    dash: tuple = ()
    fill_alpha: float = 1.0
    stroke_alpha: float = 1.0
    # text state
    font: object = None
    size: float = 0
    char_spacing: float = 0
    word_spacing: float = 0
    hscale: float = 1
    leading: float = 0
    rise: float = 0
    render: int = 0

    def copy(self):
        return State(**self.__dict__)


@dataclass
class PdfFont:
    res: Font
    two_byte: bool
    widths: dict = field(default_factory=dict)  # code → width /1000 em
    default: float = 1000
    unicode: dict = field(default_factory=dict)  # code → characters
    gid: dict | None = None  # code → glyph (None: the code is the glyph)


class Converter:
    def __init__(self, pdf: pikepdf.Pdf, package: Package):
        self.pdf = pdf
        self.package = package
        self.fonts: dict = {}  # objgen → PdfFont
        self.images: dict = {}  # objgen → Image
        self.objects: list[str] = []

    # ── resources ───────────────────────────────────────────────────────────────────────
    def font(self, obj) -> PdfFont | None:
        if obj.objgen in self.fonts:
            return self.fonts[obj.objgen]
        subtype = str(obj.get("/Subtype", ""))
        two_byte = subtype == "/Type0"
        desc = obj.DescendantFonts[0] if two_byte else obj
        descriptor = desc.get("/FontDescriptor")
        program = None
        if descriptor is not None:
            for key in ("/FontFile2", "/FontFile3", "/FontFile"):
                if key in descriptor:
                    program = descriptor[key].read_bytes()
                    break
        name = str(obj.get("/BaseFont", "/Unknown")).lstrip("/").split("+", 1)[-1]
        flags = int(descriptor.get("/Flags", 0)) if descriptor is not None else 0
        res = self.package.add_font(name, program, bold="Bold" in name or
                                    int(descriptor.get("/FontWeight", 400) if descriptor
                                        is not None else 400) >= 700,
                                    serif=bool(flags & 2))
        font = PdfFont(res, two_byte, unicode=to_unicode(obj) or {})
        if two_byte:
            font.default = float(desc.get("/DW", 1000))
            w = list(desc.get("/W", []))
            i = 0
            while i < len(w):
                first = int(w[i])
                if isinstance(w[i + 1], pikepdf.Array):
                    for k, width in enumerate(w[i + 1]):
                        font.widths[first + k] = float(width)
                    i += 2
                else:
                    for code in range(first, int(w[i + 1]) + 1):
                        font.widths[code] = float(w[i + 2])
                    i += 3
            gid_map = desc.get("/CIDToGIDMap")
            if isinstance(gid_map, pikepdf.Stream):
                data = gid_map.read_bytes()
                font.gid = {i // 2: int.from_bytes(data[i:i + 2], "big")
                            for i in range(0, len(data) - 1, 2)}
        else:
            first = int(obj.get("/FirstChar", 0))
            for k, width in enumerate(obj.get("/Widths", [])):
                font.widths[first + k] = float(width)
            font.default = 0
        self.fonts[obj.objgen] = font
        return font

    def image(self, obj) -> Image | None:
        if obj.objgen not in self.images:
            try:
                pdf_image = pikepdf.PdfImage(obj)
                if obj.get("/Filter") == "/DCTDecode" and "/SMask" not in obj:
                    data, kind = obj.read_raw_bytes(), "JPEG"
                else:
                    buffer = io.BytesIO()
                    pdf_image.as_pil_image().save(buffer, format="PNG")
                    data, kind = buffer.getvalue(), "PNG"
            except Exception:  # an image we cannot decode stays out, the page stays
                self.images[obj.objgen] = None
                return None
            self.images[obj.objgen] = self.package.add_image(data, kind)
        return self.images[obj.objgen]

    # ── content ─────────────────────────────────────────────────────────────────────────
    def page(self, page) -> list[str]:
        box = [float(v) for v in page.MediaBox]
        # PDF points, origin bottom left → OFD millimetres, origin top left
        self.to_page = (MM, 0, 0, -MM, -box[0] * MM, box[3] * MM)
        self.objects = []
        self.run(page, page.obj.get("/Resources", pikepdf.Dictionary()), State())
        return self.objects

    def run(self, stream, resources, state: State, depth: int = 0) -> None:
        stack: list[State] = []
        path: list = []  # (op, points in page mm)
        text_m = line_m = (1, 0, 0, 1, 0, 0)
        ext = resources.get("/ExtGState", {})
        fonts = resources.get("/Font", {})
        xobjects = resources.get("/XObject", {})
        for operands, op in pikepdf.parse_content_stream(stream):
            name = str(op)
            device = _mul(state.ctm, self.to_page)
            if name == "q":
                stack.append(state.copy())
            elif name == "Q" and stack:
                state = stack.pop()
            elif name == "cm":
                state.ctm = _mul(tuple(float(v) for v in operands), state.ctm)
            elif name in SCALARS:
                attr, kind = SCALARS[name]
                setattr(state, attr, kind(operands[0]))
            elif name == "d":
                state.dash = tuple(float(v) for v in operands[0])
            elif name == "gs" and str(operands[0]) in ext:
                g = ext[str(operands[0])]
                state.fill_alpha = float(g.get("/ca", state.fill_alpha))
                state.stroke_alpha = float(g.get("/CA", state.stroke_alpha))
            elif name in ("rg", "g", "k", "sc", "scn", "RG", "G", "K", "SC", "SCN"):
                stroke = name.isupper()
                space = {"g": "gray", "k": "cmyk", "rg": "rgb"}.get(name.lower())
                colour = _rgb(operands, space or (state.stroke_space if stroke
                                                  else state.fill_space))
                if colour:
                    if stroke:
                        state.stroke = colour
                    else:
                        state.fill = colour
                if space:
                    setattr(state, "stroke_space" if stroke else "fill_space", space)
            elif name in ("cs", "CS"):
                space = {"/DeviceGray": "gray", "/DeviceCMYK": "cmyk"}.get(str(operands[0]),
                                                                           "rgb")
                setattr(state, "stroke_space" if name == "CS" else "fill_space", space)
            elif name in ("m", "l"):
                path.append((name.upper(), [_apply(device, *map(float, operands))]))
            elif name == "c":
                v = list(map(float, operands))
                path.append(("B", [_apply(device, v[i], v[i + 1]) for i in (0, 2, 4)]))
            elif name in ("v", "y"):
                v = list(map(float, operands))
                current = path[-1][1][-1] if path else (0, 0)
                pts = [_apply(device, v[0], v[1]), _apply(device, v[2], v[3])]
                path.append(("B", [current, *pts] if name == "v" else [pts[0], pts[1], pts[1]]))
            elif name == "re":
                x, y, w, h = map(float, operands)
                corners = [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]
                pts = [_apply(device, *p) for p in corners]
                path += [("M", [pts[0]]), ("L", [pts[1]]), ("L", [pts[2]]), ("L", [pts[3]]),
                         ("C", [])]
            elif name == "h":
                path.append(("C", []))
            elif name in ("S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "n"):
                if name in ("s", "b", "b*"):
                    path.append(("C", []))
                fill = name.lower().startswith(("f", "b"))
                stroke = name.upper().startswith(("S", "B"))
                if path and (fill or stroke):
                    scale = math.sqrt(abs(device[0] * device[3] - device[1] * device[2]))
                    self.objects.append(path_object(
                        self.package.new_id(), path, fill=state.fill if fill else None,
                        stroke=state.stroke if stroke else None,
                        line_width=state.line_width * scale, even_odd=name.endswith("*"),
                        cap=state.cap, join=state.join,
                        dash=tuple(d * scale for d in state.dash),
                        alpha=state.fill_alpha if fill else state.stroke_alpha))
                path = []
            elif name in ("W", "W*"):
                pass  # clipping: not carried over (see the module's docstring)
            elif name == "BT":
                text_m = line_m = (1, 0, 0, 1, 0, 0)
            elif name == "Tf":
                font_obj = fonts.get(str(operands[0]))
                state.font = self.font(font_obj) if font_obj is not None else None
                state.size = float(operands[1])
            elif name == "Tz":
                state.hscale = float(operands[0]) / 100
            elif name == "Tm":
                text_m = line_m = tuple(float(v) for v in operands)
            elif name in ("Td", "TD"):
                tx, ty = float(operands[0]), float(operands[1])
                if name == "TD":
                    state.leading = -ty
                text_m = line_m = _mul((1, 0, 0, 1, tx, ty), line_m)
            elif name == "T*":
                text_m = line_m = _mul((1, 0, 0, 1, 0, -state.leading), line_m)
            elif name in ("Tj", "TJ", "'", '"'):
                if name in ("'", '"'):
                    if name == '"':
                        state.word_spacing, state.char_spacing = map(float, operands[:2])
                    text_m = line_m = _mul((1, 0, 0, 1, 0, -state.leading), line_m)
                items = operands[0] if name == "TJ" else [operands[-1]]
                text_m = self.show(items, state, text_m, device)
            elif name == "Do" and depth < 8:
                xobj = xobjects.get(str(operands[0]))
                if xobj is None:
                    continue
                if xobj.get("/Subtype") == "/Form":
                    inner = state.copy()
                    inner.ctm = _mul(tuple(float(v) for v in xobj.get("/Matrix",
                                                                      [1, 0, 0, 1, 0, 0])),
                                     state.ctm)
                    self.run(xobj, xobj.get("/Resources", resources), inner, depth + 1)
                elif xobj.get("/Subtype") == "/Image":
                    image = self.image(xobj)
                    if image is not None:
                        self.objects.append(self.package.image_object(image, device))

    def show(self, items, state: State, text_m, device):
        """Glyphs of one text-showing operator: one TextObject; returns the text matrix
        after them."""
        font = state.font
        if font is None:
            return text_m
        glyphs = []  # (origin in page mm, characters, glyph)
        size, th = state.size, state.hscale
        for item in items:
            if isinstance(item, pikepdf.String):
                raw = bytes(item)
                step = 2 if font.two_byte else 1
                for i in range(0, len(raw) - step + 1, step):
                    code = int.from_bytes(raw[i:i + step], "big")
                    trm = _mul((size * th, 0, 0, size, 0, state.rise), _mul(text_m, device))
                    glyphs.append((_apply(trm, 0, 0), font.unicode.get(code, ""),
                                   font.gid.get(code, 0) if font.gid is not None else code,
                                   trm))
                    width = font.widths.get(code, font.default) / 1000
                    tx = (width * size + state.char_spacing
                          + (state.word_spacing if step == 1 and code == 32 else 0)) * th
                    text_m = _mul((1, 0, 0, 1, tx, 0), text_m)
            else:
                tx = -float(item) / 1000 * size * th
                text_m = _mul((1, 0, 0, 1, tx, 0), text_m)
        if glyphs and state.render != 3:
            end = _apply(_mul((size * th, 0, 0, size, 0, state.rise), _mul(text_m, device)),
                         0, 0)
            self.objects.append(text_object(self.package.new_id(), font.res, glyphs, end,
                                            state.fill, state.fill_alpha,
                                            stroke=state.render in (1, 2)))
        return text_m


def outline(pdf: pikepdf.Pdf) -> list:
    """The bookmarks: (title, page index, children)."""
    pages = {p.objgen: i for i, p in enumerate(pdf.pages)}

    def walk(items):
        out = []
        for item in items:
            index = None
            dest = item.destination
            if isinstance(dest, pikepdf.Array) and len(dest):
                index = pages.get(dest[0].objgen)
            elif item.action is not None and "/D" in item.action:
                d = item.action.D
                if isinstance(d, pikepdf.Array) and len(d):
                    index = pages.get(d[0].objgen)
            out.append((item.title, index, walk(item.children)))
        return out

    try:
        with pdf.open_outline() as tree:
            return walk(tree.root)
    except Exception:
        return []


def pdf_to_ofd(pdf_bytes: bytes, title: str = "", author: str = "", date: str = "",
               creator: str = "reports") -> bytes:
    """The OFD package (zip bytes) of a PDF. ``date``: the document's date (YYYY-MM-DD),
    never "now": the same PDF gives the same OFD."""
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        info = pdf.docinfo
        title = title or str(info.get("/Title", ""))
        author = author or str(info.get("/Author", ""))
        package = Package(title, author, date, creator)
        converter = Converter(pdf, package)
        for page in pdf.pages:
            box = [float(v) for v in page.MediaBox]
            size = ((box[2] - box[0]) * MM, (box[3] - box[1]) * MM)
            package.add_page(size, converter.page(page))
        package.outline = outline(pdf)
        return package.save()

