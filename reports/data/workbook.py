"""Workbooks → one ``Grid`` per sheet: ``.xlsx`` / ``.xlsm`` (Excel 2007 and later, WPS) and the
legacy ``.xls`` (Excel 97–2003). The only module that imports python-calamine and xlrd.

python-calamine (Rust) reads the values — a 100,000-row sheet several times faster than
openpyxl — with the merged ranges and which sheets are hidden. What it does not report is
read from the file itself: for ``.xlsx``, the sheet's XML (hidden rows and columns, an active
autofilter, formulas saved without their result); for ``.xls``, xlrd's row and column
records. A sheet whose XML would expand beyond ``MAX_SHEET_BYTES`` is refused before anything
is decompressed.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from ..errors import ProblemLog
from .grid import Grid, Merged, parse_cell

# Limits checked before calamine or xlrd touch a file (a native abort must be impossible: a
# single cell at XFD1048576 made calamine allocate 512 GiB): members as the zip directory
# declares them (zipfile never reads past a declared size), a sheet's extent from its XML.
MAX_MEMBER_BYTES = 256 * 1024 * 1024  # one part uncompressed: ~1.5 million rows of a ledger
MAX_TOTAL_BYTES = 768 * 1024 * 1024  # the whole package uncompressed
MAX_CELLS = 10_000_000  # rows × columns of a sheet's used range: 300,000 rows of 30 columns
_ROW_NUMBER = re.compile(rb'<row\b[^>]*?\br="(\d+)"')
_WIDE_COLUMN = re.compile(rb'<c\b[^>]*?\br="([A-Z]{2,3})\d')

_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "rel": "http://schemas.openxmlformats.org/package/2006/relationships"}
_ROW = re.compile(rb"<row\b([^>]*)>")
_ATTR_R = re.compile(rb'\br="(\d+)"')
_ATTR_R_CELL = re.compile(rb'\br="([A-Z]+\d+)"')
_HIDDEN = re.compile(rb'\bhidden="(?:1|true)"')
_COLS = re.compile(rb"<col\b([^>]*?)/?>")
_MIN_MAX = re.compile(rb'\bmin="(\d+)"[^>]*?\bmax="(\d+)"|\bmax="(\d+)"[^>]*?\bmin="(\d+)"')
# a formula cell with no value, or an empty one: <c r="C4"><f>SUM(C2:C3)</f><v></v></c> (an
# empty value of a text formula, t="str", is a result: the formula gave "")
_NO_RESULT = re.compile(rb"<c\b([^>]*)>\s*(?:<f\b[^>]*/>|<f\b[^>]*>[^<]*</f>)"
                        rb"\s*(<v\s*/>|<v>\s*</v>)?\s*</c>")
_ERROR_CELL = re.compile(rb'<c\b([^>]*\bt="e"[^>]*)>\s*(?:<f\b[^>]*/>|<f\b[^>]*>[^<]*</f>)?\s*'
                         rb"<v>([^<]*)</v>")
_AUTOFILTER = re.compile(rb'<autoFilter\b[^>]*\bref="([A-Z]+\d+):([A-Z]+\d+)"[^>]*?(/>|>(.*?)</autoFilter>)',
                         re.S)


def _sheet_paths(book: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → the path of its XML inside the package."""
    workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels.findall("rel:Relationship", _NS)}
    paths = {}
    for sheet in workbook.findall("m:sheets/m:sheet", _NS):
        target = targets.get(sheet.get(f"{{{_NS['r']}}}id"), "")
        target = target.lstrip("/") if target.startswith("/") else "xl/" + target
        paths[sheet.get("name")] = target
    return paths


def _too_big(sheet: str, rows: int, cols: int) -> str | None:
    if rows * cols > MAX_CELLS:
        return (f"工作表“{sheet}”的使用范围过大（{rows}行 × {cols}列，可能有一个远处的单元格，如 "
                "XFD1048576，有内容或格式），不像是台账，已拒绝读取：请删除多余的行列后另存")
    return None


def _extent(xml: bytes) -> tuple[int, int]:
    """(rows, columns) a sheet's cells span, from every cell reference (the <dimension> tag
    can say anything). A sheet of single-letter columns is bounded by 26; the exact width is
    taken only from the (rarer) references of two or three letters."""
    rows = _ROW_NUMBER.findall(xml)
    high = max(max(map(int, rows)) if rows else 0, xml.count(b"<row"))  # rows without r= too
    wide = set(_WIDE_COLUMN.findall(xml))
    width = 26
    if wide:
        width = 0
        for ch in max((len(c), c) for c in wide)[1].decode():
            width = width * 26 + ord(ch) - 64
    if b"<c>" in xml or b"<c/>" in xml:  # cells without a reference: they count in order
        width = max(width, max(row.count(b"<c") for row in xml.split(b"</row>")))
    return high, width


def _xlsx_precheck(path: Path, wanted) -> dict[str, bytes]:
    """The wanted sheets' XML, once every limit is checked; ValueError (in Chinese) when one
    is not kept."""
    with zipfile.ZipFile(path) as package:
        infos = package.infolist()
        big = [i for i in infos if i.file_size > MAX_MEMBER_BYTES]
        if big or sum(i.file_size for i in infos) > MAX_TOTAL_BYTES:
            raise ValueError(f"工作簿解压后过大（{(big or infos)[0].filename} 等，超过 "
                             f"{MAX_MEMBER_BYTES // 2**20} MB），不像是台账，已拒绝读取")
        xmls = {}
        for sheet, member in _sheet_paths(package).items():
            if wanted(sheet) and member in package.NameToInfo:
                xml = package.read(member)
                if reason := _too_big(sheet, *_extent(xml)):
                    raise ValueError(reason)
                xmls[sheet] = xml
        return xmls


def _xlsx_metadata(xml: bytes, grid: Grid) -> None:
    if b'hidden="1"' in xml or b'hidden="true"' in xml:
        head = xml.split(b"<sheetData", 1)[0]
        for m in _COLS.finditer(head):
            if _HIDDEN.search(m.group(1)) and (mm := _MIN_MAX.search(m.group(1))):
                low, high = (mm.group(1), mm.group(2)) if mm.group(1) else (mm.group(4), mm.group(3))
                grid.hidden_cols.update(range(int(low) - 1, int(high)))
        number = 0
        for m in _ROW.finditer(xml):
            attrs = m.group(1)
            r = _ATTR_R.search(attrs)
            number = int(r.group(1)) if r else number + 1
            if _HIDDEN.search(attrs):
                grid.hidden_rows.add(number - 1)
    if b"<f" in xml:
        for attrs, value in _NO_RESULT.findall(xml):
            if value and b't="str"' in attrs:
                continue
            if r := _ATTR_R_CELL.search(attrs):
                grid.no_result.add(parse_cell(r.group(1).decode()))
    if b't="e"' in xml:
        for attrs, value in _ERROR_CELL.findall(xml):
            if r := _ATTR_R_CELL.search(attrs):
                grid.errors[parse_cell(r.group(1).decode())] = value.decode(errors="replace")
    at = xml.rfind(b"<autoFilter")
    if at >= 0 and (m := _AUTOFILTER.match(xml, at)) and m.group(4) and \
            b"<filterColumn" in m.group(4):
        (top, _), (bottom, _) = parse_cell(m.group(1).decode()), parse_cell(m.group(2).decode())
        filtered = {r for r in grid.hidden_rows if top < r <= bottom}
        grid.filtered_rows, grid.hidden_rows = filtered, grid.hidden_rows - filtered


def _xls_precheck(path: Path, wanted) -> None:
    """An .xls holds at most 65,536 × 256 cells; its sheets' used ranges are checked by xlrd
    (pure Python, bounded by the file) before calamine reads them."""
    import xlrd

    book = xlrd.open_workbook(str(path), on_demand=True)
    try:
        for name in book.sheet_names():
            if wanted(name):
                sheet = book.sheet_by_name(name)
                if reason := _too_big(name, sheet.nrows, sheet.ncols):
                    raise ValueError(reason)
    finally:
        book.release_resources()


def _xls_metadata(path: Path, grids: dict[str, Grid]) -> None:
    import xlrd

    book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    try:
        for sheet in book.sheets():
            grid = grids.get(sheet.name)
            if grid is None:
                continue
            grid.hidden_rows = {r for r, info in sheet.rowinfo_map.items() if info.hidden}
            grid.hidden_cols = {c for c, info in sheet.colinfo_map.items() if info.hidden}
            for r in range(sheet.nrows):
                for c, kind in enumerate(sheet.row_types(r)):
                    if kind == xlrd.XL_CELL_ERROR:
                        grid.errors[(r, c)] = xlrd.error_text_from_code.get(
                            sheet.cell_value(r, c), "#错误")
    finally:
        book.release_resources()


def read_workbook(path: Path, log: ProblemLog, wanted) -> list[Grid]:
    """The sheets ``wanted(sheet name)`` accepts, as grids (hidden ones too, marked so: the
    caller decides). Problems are logged; a broken file gives no grids."""
    from python_calamine import CalamineWorkbook, SheetVisibleEnum

    name = path.name
    legacy = path.suffix.lower() == ".xls"
    xmls: dict[str, bytes] = {}
    try:
        if legacy:
            _xls_precheck(path, wanted)
        else:
            xmls = _xlsx_precheck(path, wanted)
    except ValueError as exc:
        log.error(str(exc), file=name)
        return []
    except Exception as exc:  # noqa: BLE001 — a broken zip, a broken BIFF file
        kind = "旧版 .xls" if legacy else ".xlsx"
        log.error(f"无法打开 Excel 工作簿（文件损坏或不是 {kind} 格式）：{exc}", file=name)
        return []
    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for broken files
        kind = "旧版 .xls" if legacy else ".xlsx"
        log.error(f"无法打开 Excel 工作簿（文件损坏或不是 {kind} 格式）：{exc}", file=name)
        return []
    grids: dict[str, Grid] = {}
    for meta in book.sheets_metadata:
        if not wanted(meta.name):
            continue
        try:
            sheet = book.get_sheet_by_name(meta.name)
            cells = sheet.to_python(skip_empty_area=False)
            merged = [Merged(a[0], a[1], b[0], b[1]) for a, b in (sheet.merged_cell_ranges or [])]
        except Exception as exc:
            log.error(f"无法读取工作表：{exc}", file=name, sheet=meta.name)
            continue
        grids[meta.name] = Grid(name, meta.name, cells, meta.visible == SheetVisibleEnum.Visible,
                                merged)
    if not grids:
        return []
    try:
        if legacy:
            _xls_metadata(path, grids)
        else:
            for sheet_name, grid in grids.items():
                if sheet_name in xmls:
                    _xlsx_metadata(xmls[sheet_name], grid)
    except Exception as exc:  # the values were readable, the rest of the package is not
        log.error(f"无法读取工作簿中的隐藏行、合并单元格等信息（文件可能已损坏）：{exc}", file=name)
        return []
    return list(grids.values())
