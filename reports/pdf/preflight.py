"""`report check FILE.pdf`: is this PDF sound enough to send out — to a print shop, to
readers? Page size and boxes, fonts embedded, the declared standard and its output intent,
no RGB colour in a print variant, images at 300 dpi or more where they are placed, text that
can be copied, no missing glyphs (.notdef).

Reads the PDF with pikepdf (its content streams parsed, form XObjects followed, the current
transformation matrix tracked for image placement) and extracts text with poppler's
``pdftotext``. Each check gives 通过 / 未通过 / 提示 (information) and a detail line;
the terminal shows them as a table (products/terminal.py).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import asdict, dataclass, field
from pathlib import Path

MM = 72 / 25.4
MIN_PPI = 300
PRINT_BLEED_MM = 3
RGB_SPACES = {"/DeviceRGB", "/CalRGB"}
PAGE_SIZES = {(210, 297): "A4", (297, 210): "A4 横向", (148, 210): "A5", (297, 420): "A3",
              (176, 250): "B5", (185, 260): "16开"}


@dataclass
class Finding:
    check: str
    status: str  # "pass", "fail", "warn" (sound, but look at it) or "info"
    detail: str

    @property
    def failed(self) -> bool:
        return self.status == "fail"


@dataclass
class Report:
    file: str
    pages: int = 0
    standards: list[str] = field(default_factory=list)
    print_variant: bool = False
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(f.failed for f in self.findings)

    def as_dict(self) -> dict:
        d = asdict(self)
        d["ok"] = self.ok
        return d


class Unreadable(Exception):
    pass


# -- walking the content ---------------------------------------------------------------------
def _mul(a, b):
    """Matrix product a·b of PDF matrices [a b c d e f]."""
    return [a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3],
            a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3],
            a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5]]


@dataclass
class _Scan:
    fonts: dict = field(default_factory=dict)  # objgen → font dictionary
    rgb: list[str] = field(default_factory=list)
    images: list[tuple[str, float, str]] = field(default_factory=list)  # name, ppi, space
    notdef: int = 0
    text_ops: int = 0
    decoded: int = 0  # bytes of content streams decoded so far


def _space_name(pdf, space) -> str:
    """A colour space object → /DeviceRGB, /DeviceCMYK, /ICCBased(3) …"""
    import pikepdf

    if isinstance(space, pikepdf.Name):
        return str(space)
    if isinstance(space, pikepdf.Array) and len(space):
        kind = str(space[0])
        if kind == "/ICCBased":
            return f"/ICCBased({int(space[1].get('/N', 0))})"
        if kind in ("/Indexed", "/Separation", "/DeviceN"):
            base = space[1] if kind == "/Indexed" else space[2]
            return f"{kind}:{_space_name(pdf, base)}"
        return kind
    return str(space)


def _is_rgb(name: str) -> bool:
    return any(s in name for s in RGB_SPACES) or "/ICCBased(3)" in name


MAX_STREAM = 64 * 1024 * 1024  # bytes one content stream may decode to
MAX_DECODED = 256 * 1024 * 1024  # and all of a file's content streams together


def _decoded_size(stream, limit: int) -> int:
    """How many bytes ``stream`` decodes to, counted without decoding more than ``limit``
    (limit + 1: over it). Flate is inflated step by step; other filters are trusted only
    for small streams."""
    import zlib

    import pikepdf

    raw = stream.read_raw_bytes()
    filters = stream.get("/Filter")
    names = [str(f) for f in filters] if isinstance(filters, pikepdf.Array) else \
        [str(filters)] if filters is not None else []
    if not names:
        return len(raw)
    if names == ["/FlateDecode"]:
        inflate, total = zlib.decompressobj(), 0
        data = raw
        while data:
            chunk = inflate.decompress(data, 1 << 20)
            total += len(chunk)
            if total > limit:
                return limit + 1
            data = inflate.unconsumed_tail
        return total
    return len(raw) * 20 if len(raw) * 20 > limit else len(stream.read_bytes())


def _check_size(container, scan, where: str) -> None:
    import pikepdf

    streams = [container] if isinstance(container, pikepdf.Stream) else []
    contents = container.get("/Contents") if not streams else None
    if isinstance(contents, pikepdf.Stream):
        streams = [contents]
    elif isinstance(contents, pikepdf.Array):
        streams = [c for c in contents if isinstance(c, pikepdf.Stream)]
    for stream in streams:
        size = _decoded_size(stream, MAX_STREAM)
        scan.decoded += size
        if size > MAX_STREAM or scan.decoded > MAX_DECODED:
            raise Unreadable(f"{where} 的内容流解压后超过 {MAX_STREAM // 2**20} MB（全文件合计上限 "
                             f"{MAX_DECODED // 2**20} MB），不像是正常的文档，未检查")


def _scan(pdf, container, resources, ctm, scan: _Scan, where: str, depth: int = 0) -> None:
    import pikepdf

    if depth > 20:
        return
    _check_size(container, scan, where)
    resources = resources or pikepdf.Dictionary()
    fonts = resources.get("/Font", {})
    xobjects = resources.get("/XObject", {})
    spaces = resources.get("/ColorSpace", {})
    for name, space in dict(spaces).items():
        label = _space_name(pdf, space)
        if _is_rgb(label):
            scan.rgb.append(f"{where} 颜色空间 {name} = {label}")
    for name, shading in dict(resources.get("/Shading", {})).items():
        label = _space_name(pdf, shading.get("/ColorSpace"))
        if _is_rgb(label):
            scan.rgb.append(f"{where} 渐变 {name} = {label}")
    for font in dict(fonts).values():
        scan.fonts[font.objgen] = font
    stack, current_font = [], None
    matrix = list(ctm)
    try:
        instructions = pikepdf.parse_content_stream(container)
    except pikepdf.PdfError as exc:
        raise Unreadable(f"{where} 的内容流无法解析：{exc}") from None
    for operands, operator in instructions:
        op = str(operator)
        if op == "q":
            stack.append(list(matrix))
        elif op == "Q" and stack:
            matrix = stack.pop()
        elif op == "cm":
            matrix = _mul([float(x) for x in operands], matrix)
        elif op in ("rg", "RG"):
            scan.rgb.append(f"{where} 使用 RGB 颜色（{op} {' '.join(f'{float(x):g}' for x in operands)}）")
        elif op == "Tf":
            current_font = fonts.get(str(operands[0]))
        elif op in ("Tj", "TJ", "'", '"'):
            scan.text_ops += 1
            scan.notdef += _notdef_codes(current_font, operands)
        elif op == "Do":
            name = str(operands[0])
            xobject = xobjects.get(name)
            if xobject is None:
                continue
            subtype = xobject.get("/Subtype")
            if subtype == "/Image":
                width_pt = (matrix[0] ** 2 + matrix[1] ** 2) ** 0.5
                height_pt = (matrix[2] ** 2 + matrix[3] ** 2) ** 0.5
                px_w, px_h = int(xobject.get("/Width", 0)), int(xobject.get("/Height", 0))
                ppi = min(px_w / (width_pt / 72) if width_pt else 0,
                          px_h / (height_pt / 72) if height_pt else 0)
                label = "/ImageMask" if xobject.get("/ImageMask") else \
                    _space_name(pdf, xobject.get("/ColorSpace"))
                scan.images.append((f"{where} 图像 {name}", ppi, label))
                if _is_rgb(label):
                    scan.rgb.append(f"{where} 图像 {name} 为 {label}")
            elif subtype == "/Form":
                form_matrix = [float(x) for x in xobject.get("/Matrix", [1, 0, 0, 1, 0, 0])]
                _scan(pdf, xobject, xobject.get("/Resources", resources),
                      _mul(form_matrix, matrix), scan, f"{where} 表单 {name}", depth + 1)


_NOTDEF_CACHE: dict = {}


def _notdef_set(font) -> frozenset:
    """Character codes of a composite (Type0) font that select CID 0 — the .notdef glyph,
    a box in print: code 0000 with Identity-H; with an embedded CMap (WeasyPrint writes its
    own), the codes it maps to CID 0."""
    import pikepdf

    key = font.objgen
    if key in _NOTDEF_CACHE:
        return _NOTDEF_CACHE[key]
    codes: set[bytes] = set()
    encoding = font.get("/Encoding")
    descendant = font["/DescendantFonts"][0]
    identity_gids = str(descendant.get("/CIDToGIDMap", "/Identity")) == "/Identity"
    if isinstance(encoding, pikepdf.Stream):
        text = encoding.read_bytes().decode("latin-1")
        for block in re.findall(r"begincidchar(.*?)endcidchar", text, re.S):
            for code, cid in re.findall(r"<([0-9a-fA-F]+)>\s*(\d+)", block):
                if int(cid) == 0:
                    codes.add(bytes.fromhex(code))
        for block in re.findall(r"begincidrange(.*?)endcidrange", text, re.S):
            for low, _high, cid in re.findall(
                    r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\d+)", block):
                if int(cid) == 0:
                    codes.add(bytes.fromhex(low))
    elif str(encoding) in ("/Identity-H", "/Identity-V") and identity_gids:
        codes.add(b"\0\0")
    _NOTDEF_CACHE[key] = frozenset(codes)
    return _NOTDEF_CACHE[key]


def _simple_notdef_set(font) -> frozenset:
    """Codes of a simple (one-byte) font that show no character: those its ToUnicode CMap maps
    to U+0000 — how ReportLab's TrueType subsets encode a character the font lacks (code 0,
    drawn as .notdef)."""
    import pikepdf

    key = font.objgen
    if key in _NOTDEF_CACHE:
        return _NOTDEF_CACHE[key]
    codes: set[bytes] = set()
    cmap = font.get("/ToUnicode")
    if isinstance(cmap, pikepdf.Stream) and _decoded_size(cmap, 1 << 20) <= 1 << 20:
        text = cmap.read_bytes().decode("latin-1")
        for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
            for code, uni in re.findall(r"<([0-9a-fA-F]{2})>\s*<([0-9a-fA-F]+)>", block):
                if int(uni, 16) == 0:
                    codes.add(bytes.fromhex(code))
    _NOTDEF_CACHE[key] = frozenset(codes)
    return _NOTDEF_CACHE[key]


def _notdef_codes(font, operands) -> int:
    """How many glyphs of this text-showing operator are .notdef: two-byte codes of composite
    fonts (WeasyPrint), one-byte codes of simple fonts (ReportLab)."""
    import pikepdf

    if font is None:
        return 0
    composite = font.get("/Subtype") == "/Type0"
    zero = _notdef_set(font) if composite else _simple_notdef_set(font)
    if not zero:
        return 0
    count = 0
    for operand in operands:
        items = operand if isinstance(operand, pikepdf.Array) else [operand]
        for item in items:
            if isinstance(item, pikepdf.String):
                data = bytes(item)
                if composite:
                    count += sum(1 for i in range(0, len(data) - 1, 2) if data[i:i + 2] in zero)
                else:
                    count += sum(1 for b in data if bytes([b]) in zero)
    return count


def _embedded(font) -> tuple[bool, str]:
    name = str(font.get("/BaseFont", "?")).lstrip("/")
    if font.get("/Subtype") == "/Type3":
        return True, name
    target = font["/DescendantFonts"][0] if font.get("/Subtype") == "/Type0" else font
    descriptor = target.get("/FontDescriptor")
    if descriptor is None:
        return False, name
    return any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), name


# -- the checks ------------------------------------------------------------------------------
def _standards(pdf) -> tuple[list[str], list[str]]:
    """Standards declared in the XMP metadata (and the Info dictionary), and the output
    intents' subtypes."""
    declared = []
    try:
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            part, conf = meta.get("pdfaid:part"), meta.get("pdfaid:conformance")
            if part:
                declared.append(f"PDF/A-{part}{(conf or '').lower()}")
            x = meta.get("pdfxid:GTS_PDFXVersion")
            if x:
                declared.append(str(x))
            ua = meta.get("pdfuaid:part")
            if ua:
                declared.append(f"PDF/UA-{ua}")
    except Exception:  # noqa: BLE001 — a broken XMP packet: nothing declared there
        pass
    info_x = pdf.docinfo.get("/GTS_PDFXVersion") if pdf.docinfo else None
    if info_x and str(info_x) not in declared:
        declared.append(str(info_x))
    intents = [str(i.get("/S")) for i in pdf.Root.get("/OutputIntents", [])]
    return declared, intents


def _generic_intent(pdf) -> str | None:
    """The output condition of a PDF/X output intent that names no real printing condition:
    our own generic profile ("uncalibrated"), or a bare "Custom" with no registry."""
    for intent in pdf.Root.get("/OutputIntents", []):
        if str(intent.get("/S")) != "/GTS_PDFX":
            continue
        condition = str(intent.get("/OutputConditionIdentifier", ""))
        if "uncalibrated" in condition.lower() or (condition.lower() in ("", "custom")
                                                   and not intent.get("/RegistryName")):
            return condition[:80] or "未命名"
    return None


def check_pdf(path: Path, print_variant: bool | None = None) -> Report:
    """Every check on ``path``. ``print_variant``: hold the file to print rules (no RGB,
    bleed); by default, when it declares PDF/X."""
    import pikepdf

    path = Path(path)
    report = Report(str(path))
    _NOTDEF_CACHE.clear()  # keyed by object number: per file
    try:
        pdf = pikepdf.open(path)
    except (pikepdf.PdfError, OSError) as exc:
        raise Unreadable(f"无法打开 {path}：{exc}") from None
    with pdf:
        report.pages = len(pdf.pages)
        declared, intents = _standards(pdf)
        report.standards = declared
        is_print = any(s.startswith("PDF/X") for s in declared) if print_variant is None \
            else print_variant
        report.print_variant = is_print
        add = report.findings.append

        # pages and boxes
        sizes, bleeds, problems = set(), set(), []
        for n, page in enumerate(pdf.pages, 1):
            media = [float(x) for x in page.mediabox]
            trim = [float(x) for x in page.obj.get("/TrimBox", page.mediabox)]
            bleed = [float(x) for x in page.obj.get("/BleedBox", trim)]
            w, h = round((trim[2] - trim[0]) / MM), round((trim[3] - trim[1]) / MM)
            sizes.add((w, h))
            margins = (trim[0] - bleed[0], trim[1] - bleed[1], bleed[2] - trim[2],
                       bleed[3] - trim[3])
            bleeds.add(round(min(margins) / MM, 1))
            if not (media[0] <= bleed[0] <= trim[0] and media[1] <= bleed[1] <= trim[1]
                    and trim[2] <= bleed[2] <= media[2] and trim[3] <= bleed[3] <= media[3]):
                problems.append(f"第{n}页的 TrimBox/BleedBox 不在 MediaBox 之内")
        size_text = "、".join(f"{PAGE_SIZES.get(s, '非标准')} {s[0]}×{s[1]} mm" for s in sorted(sizes))
        bleed_min = min(bleeds) if bleeds else 0
        detail = f"{report.pages}页，成品尺寸 {size_text}，出血 {bleed_min:g} mm"
        if len(sizes) > 1:
            problems.append("各页尺寸不一")
        if is_print and bleed_min < PRINT_BLEED_MM:
            problems.append(f"印刷版出血应至少 {PRINT_BLEED_MM} mm")
        add(Finding("页面尺寸与版框", "fail" if problems else "pass",
                    detail + ("；" + "；".join(problems) if problems else "")))

        # content: fonts, colours, images, glyphs
        scan = _Scan()
        for n, page in enumerate(pdf.pages, 1):
            _scan(pdf, page.obj, page.obj.get("/Resources"), [1, 0, 0, 1, 0, 0], scan,
                  f"第{n}页")
        missing = sorted({name for font in scan.fonts.values()
                          for ok, name in [_embedded(font)] if not ok})
        add(Finding("字体嵌入", "fail" if missing else "pass",
                    f"未嵌入：{'、'.join(missing)}" if missing
                    else f"{len(scan.fonts)}个字体全部嵌入"))

        required = {"PDF/A": "/GTS_PDFA1", "PDF/X": "/GTS_PDFX"}
        lacking = [s for s in declared for prefix, intent in required.items()
                   if s.startswith(prefix) and intent not in intents]
        if lacking:
            status, text = "fail", f"声明了 {'、'.join(declared)}，但缺少相应的输出意图（OutputIntent）"
        elif is_print and not any(s.startswith("PDF/X") for s in declared):
            status, text = "fail", "印刷版应声明 PDF/X（如 PDF/X-4）"
        elif declared:
            status, text = "pass", f"声明：{'、'.join(declared)}；输出意图：{'、'.join(intents)}"
            if is_print and _generic_intent(pdf):
                status, text = "warn", (f"声明：{'、'.join(declared)}；输出意图是未校准的通用 CMYK "
                                        "配置文件，不能按印刷厂的条件打样：请向印刷厂索取其 ICC 配置"
                                        "文件（如 FOGRA39），放入 assets/，并在 config.toml 的 "
                                        "[print] icc_profile 中指定")
        else:
            status, text = "info", "未声明 PDF/A、PDF/X 或 PDF/UA（屏幕阅读版）"
        add(Finding("标准声明", status, text))

        if is_print:
            add(Finding("印刷色（无 RGB）", "fail" if scan.rgb else "pass",
                        f"发现 {len(scan.rgb)} 处 RGB：" + "；".join(scan.rgb[:5])
                        + ("……" if len(scan.rgb) > 5 else "") if scan.rgb
                        else "全部颜色为 CMYK 或灰度"))
        else:
            add(Finding("印刷色（无 RGB）", "info",
                        "屏幕版，不要求 CMYK" + (f"（使用 RGB {len(scan.rgb)} 处）" if scan.rgb else "")))

        low = [(where, ppi) for where, ppi, _ in scan.images if ppi < MIN_PPI]
        if not scan.images:
            add(Finding("图像分辨率", "pass", "无位图图像（图表、二维码均为矢量）"))
        else:
            add(Finding("图像分辨率", "fail" if low else "pass",
                        "；".join(f"{w}：{p:.0f} ppi" for w, p in low[:5]) + f"（应不低于 {MIN_PPI} ppi）"
                        if low else f"{len(scan.images)}个图像，最低 {min(p for _, p, _ in scan.images):.0f} ppi"))

        add(Finding("缺字（.notdef）", "fail" if scan.notdef else "pass",
                    f"有 {scan.notdef} 处字形为 .notdef（字体缺字，印出为方框）" if scan.notdef
                    else "没有 .notdef 字形"))

    add(_text_check(path, report.pages, scan.text_ops))
    return report


def _text_check(path: Path, pages: int, text_ops: int) -> Finding:
    if not shutil.which("pdftotext"):
        return Finding("文字可提取", "info", "未安装 pdftotext（poppler-utils），未检查")
    def limits():  # a hostile PDF may make pdftotext allocate without end
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
    try:
        run = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                             text=True, timeout=120, preexec_fn=limits, errors="replace")
    except subprocess.TimeoutExpired:
        return Finding("文字可提取", "fail", "pdftotext 超过 120 秒仍未完成，文件可能有问题")
    if run.returncode != 0:
        return Finding("文字可提取", "fail", f"pdftotext 出错：{run.stderr.strip()[:200]}")
    texts = run.stdout.split("\f")[:pages]
    empty = [str(i) for i, t in enumerate(texts, 1) if not t.strip()]
    bad = run.stdout.count("\ufffd")
    characters = len(re.sub(r"\s", "", run.stdout))
    if text_ops and (bad or len(empty) == pages):
        return Finding("文字可提取", "fail",
                       f"{bad}个字符无法还原（缺 ToUnicode）" if bad else "提取不到任何文字")
    note = f"；第{'、'.join(empty)}页无文字" if empty else ""
    return Finding("文字可提取", "pass", f"可复制文字 {characters} 个字符{note}")
