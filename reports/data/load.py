"""Read the tables of a data folder — CSV files or sheets of ``.xlsx`` workbooks — into
``RawTable``s: header cells and rows of raw cell values, each row with the number Excel
shows for it. Nothing is interpreted here beyond decoding text; validate.py does that.

Readers are chosen by file extension (as Pelican's readers are): ``.csv`` and ``.xlsx``.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ProblemLog

# Table key → the names a file or sheet may have (Chinese first, as staff name them).
TABLES = {
    "projects": ("签约项目", "projects"),
    "funds": ("到位资金", "funds"),
    "targets": ("年度目标", "targets"),
    "opportunities": ("招商项目", "opportunities"),  # optional: delegation handouts only
}
REQUIRED_TABLES = ("projects", "funds", "targets")  # what a briefing reads


@dataclass
class RawTable:
    key: str
    file: str  # as shown to the user: the file name within the data folder
    sheet: str | None
    header: list[str]
    header_row: int
    rows: list[tuple[int, list]] = field(default_factory=list)  # (Excel row number, cells)


@dataclass(frozen=True, slots=True)
class SourceFile:
    path: Path
    sha256: str
    size: int


def _table_key(stem: str) -> str | None:
    s = stem.strip().lower()
    for key, names in TABLES.items():
        if s in names:
            return key
    return None


def decode_csv(data: bytes) -> tuple[str, str]:
    """Bytes of a CSV file → (text, encoding name). Tries what Excel in China writes:
    UTF-8 with or without BOM, UTF-16 with BOM ("Unicode text"), then GB18030 (a superset
    of GBK and GB2312, the default of Excel's "CSV (逗号分隔)")."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8"), "UTF-8 (BOM)"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "UTF-16"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "GB18030"
    except UnicodeDecodeError as exc:
        raise ValueError(f"无法识别文件编码（不是 UTF-8 或 GBK/GB18030，第{exc.start}字节处出错）"
                         "，请在 Excel 中另存为“CSV UTF-8”") from None


def _trim(cells: list) -> list:
    while cells and (cells[-1] is None or (isinstance(cells[-1], str) and not cells[-1].strip())):
        cells.pop()
    return cells


def _header_then_rows(key, file, sheet, numbered_rows) -> RawTable | None:
    table = None
    for number, cells in numbered_rows:
        cells = _trim(list(cells))
        if table is None:
            if cells:  # first non-empty row is the header
                header = ["" if c is None else str(c).strip() for c in cells]
                table = RawTable(key, file, sheet, header, number)
            continue
        if cells:  # blank rows (trailing or in between) are skipped
            table.rows.append((number, cells))
    return table


def read_csv(path: Path, key: str, log: ProblemLog) -> RawTable | None:
    name = path.name
    try:
        text, _encoding = decode_csv(path.read_bytes())
    except ValueError as exc:
        log.error(str(exc), file=name)
        return None
    except OSError as exc:
        log.error(f"无法读取文件：{exc.strerror}", file=name)
        return None
    sample = text[:4096]
    first_line = sample.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    def numbered():
        start = 1
        try:
            for cells in reader:
                yield start, cells
                start = reader.line_num + 1
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                log.error(f"单元格内容过长（超过{csv.field_size_limit()}个字符），文件可能已损坏",
                          file=name, row=reader.line_num)
            elif "NUL" in str(exc):
                log.error("文件中有空字符（NUL），不是正常的 CSV 文本文件，可能已损坏",
                          file=name, row=reader.line_num)
            else:
                log.error(f"CSV 格式有误：{exc}", file=name, row=reader.line_num)

    table = _header_then_rows(key, name, None, numbered())
    if table is None:
        log.error("文件为空，没有表头", file=name)
    return table


def read_xlsx(path: Path, log: ProblemLog, keys=REQUIRED_TABLES) -> list[RawTable]:
    # python-calamine (Rust) reads a 100,000-row sheet several times faster than openpyxl.
    from python_calamine import CalamineWorkbook

    name = path.name
    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for broken zips
        log.error(f"无法打开 Excel 工作簿（文件损坏或不是 .xlsx 格式）：{exc}", file=name)
        return []
    tables = []
    for sheet_name in book.sheet_names:
        key = _table_key(sheet_name)
        if key not in keys:
            continue
        try:
            rows = book.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
        except Exception as exc:
            log.error(f"无法读取工作表：{exc}", file=name, sheet=sheet_name)
            continue
        table = _header_then_rows(key, name, sheet_name, enumerate(rows, 1))
        if table is None:
            log.error("工作表为空，没有表头", file=name, sheet=sheet_name)
        else:
            tables.append(table)
    return tables


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def input_files(folder: Path, keys=REQUIRED_TABLES) -> list[Path]:
    """The files of a data folder that ``load_tables`` reads (plus config.toml): what a
    briefing depends on, so a fingerprint of them tells whether it must be rebuilt."""
    folder = Path(folder)
    files = [folder / "config.toml"] if (folder / "config.toml").is_file() else []
    for path in sorted(folder.iterdir()) if folder.is_dir() else []:
        if path.name.startswith(("~$", ".")) or not path.is_file():
            continue
        suffix = path.suffix.lower()
        if (suffix == ".csv" and _table_key(path.stem) in keys) or suffix == ".xlsx":
            files.append(path)
    return files


def load_tables(folder: Path, log: ProblemLog, keys=REQUIRED_TABLES
                ) -> tuple[dict[str, RawTable], list[SourceFile]]:
    """The tables ``keys`` of ``folder``; a missing required or a doubly-defined table is an
    error. A briefing reads only its three tables: a mistake in the handouts' 招商项目 table
    does not stop the monthly briefing."""
    folder = Path(folder)
    found: dict[str, RawTable] = {}
    sources: list[SourceFile] = []

    def add(table: RawTable) -> None:
        if table.key in found:
            other = found[table.key]
            log.error(f"表“{TABLES[table.key][0]}”重复：已在 {other.file}"
                      f"{'［' + other.sheet + '］' if other.sheet else ''} 中给出，请只保留一份",
                      file=table.file, sheet=table.sheet)
        else:
            found[table.key] = table

    for path in sorted(folder.iterdir()):
        if path.name.startswith(("~$", ".")) or not path.is_file():
            continue  # Excel's lock files, hidden files
        suffix = path.suffix.lower()
        if suffix == ".csv" and (key := _table_key(path.stem)):
            if key not in keys:
                continue
            table = read_csv(path, key, log)
            if table:
                add(table)
        elif suffix == ".xlsx":
            for table in read_xlsx(path, log, keys):
                add(table)
        elif suffix in (".xls", ".et"):
            log.error("不支持旧版 .xls 格式，请在 Excel 中另存为 .xlsx 工作簿", file=path.name)
            continue
        else:
            continue
        sources.append(SourceFile(path, sha256_file(path), path.stat().st_size))

    for key in REQUIRED_TABLES:
        if key not in found:
            names = TABLES[key]
            log.error(f"缺少表“{names[0]}”：请提供 {names[0]}.csv，或在 .xlsx 工作簿中建一个名为"
                      f"“{names[0]}”的工作表")
    return found, sources
