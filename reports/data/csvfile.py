"""CSV files as Excel and WPS save them → a ``Grid``.

Encodings: UTF-8 with or without BOM, UTF-16 with BOM ("Unicode 文本"), GB18030 (a superset of
GBK and GB2312, what "CSV (逗号分隔)" writes on a Chinese Windows). A file that starts with a
UTF-8 BOM but is GBK inside (an editor added the mark) is read as GBK when its first line is
Chinese text that way, and said so; otherwise it is an error in Chinese, never a codec trace.

Rows are records, numbered as Excel numbers its rows when it opens the file: a cell holding a
line break is still one row, so every message names the row a person sees.
"""

from __future__ import annotations

import codecs
import csv
import io
import re

from ..errors import ProblemLog
from .grid import Grid

_CJK = re.compile(r"[\u4e00-\u9fff]")


def _chinese_first_line(text: str, expect: tuple[str, ...]) -> bool:
    first = text[:4000].split("\n", 1)[0]
    if expect:
        return any(word in first for word in expect)
    return bool(_CJK.search(first))


def decode_csv(data: bytes, expect: tuple[str, ...] = ()) -> tuple[str, str]:
    """Bytes of a CSV file → (text, encoding name). ``expect``: words the header should hold
    (column names), the evidence for reading a file that contradicts its own BOM."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[3:].decode("utf-8"), "UTF-8 (BOM)"
        except UnicodeDecodeError as exc:
            try:
                text = data[3:].decode("gb18030")
            except UnicodeDecodeError:
                text = ""
            if text and _chinese_first_line(text, expect):
                return text, "GB18030 (BOM)"
            raise ValueError(f"文件开头标明是 UTF-8 编码（BOM），但第{exc.start + 4}字节处不是有效的 "
                             "UTF-8，也不是 GBK 编码的中文：文件可能已损坏。请在 Excel 中另存为"
                             "“CSV UTF-8（逗号分隔）”") from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            raise ValueError("文件开头标明是 UTF-16 编码（Unicode 文本），但内容不是有效的 UTF-16："
                             "文件可能已损坏。请在 Excel 中另存为“CSV UTF-8（逗号分隔）”") from None
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "GB18030"
    except UnicodeDecodeError as exc:
        raise ValueError(f"无法识别文件编码（不是 UTF-8 或 GBK/GB18030，第{exc.start + 1}字节处出错）"
                         "，请在 Excel 中另存为“CSV UTF-8（逗号分隔）”") from None


def read_csv(data: bytes, name: str, log: ProblemLog, expect: tuple[str, ...] = ()
             ) -> Grid | None:
    """The records of a CSV file; None (with the problem logged) when it cannot be read."""
    try:
        text, encoding = decode_csv(data, expect)
    except ValueError as exc:
        log.error(str(exc), file=name)
        return None
    if encoding == "GB18030 (BOM)":
        log.note("文件开头有 UTF-8 标记（BOM），内容却是 GBK 编码，已按 GBK 读取", file=name)
    first_line = text[:4096].split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    cells: list[list] = []
    try:
        for record in reader:
            cells.append(record)
    except csv.Error as exc:
        row = len(cells) + 1  # the record being read: the row Excel shows
        if "field larger than field limit" in str(exc):
            log.error(f"单元格内容过长（超过{csv.field_size_limit()}个字符），文件可能已损坏",
                      file=name, row=row)
        elif "NUL" in str(exc):
            log.error("文件中有空字符（NUL），不是正常的 CSV 文本文件，可能已损坏", file=name, row=row)
        else:
            log.error(f"CSV 格式有误：{exc}", file=name, row=row)
        return None
    return Grid(name, None, cells, csv=True)
