"""Read the tables of a data folder — CSV files or sheets of workbooks — into ``RawTable``s:
the header found, the data rows with the numbers Excel shows, non-data rows set aside.
Nothing is interpreted here beyond that; validate.py parses the values.

Readers are chosen by file extension (as Pelican's readers are): ``.csv`` (csvfile.py),
``.xlsx`` / ``.xlsm`` / ``.xls`` (workbook.py). Which file or sheet is which table: its name
(签约项目, or the English key), or a copy of that name (``签约项目 (2)``, ``签约项目(1).csv``,
``签约项目-副本``). Never a guess between two: two visible candidates for one table are an
error naming both; a hidden sheet is read only when no visible one matches, and a visible copy
beside a hidden original is read, and said so.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ProblemLog
from .config import inside
from .schema import FIELDS, REQUIRED_TABLES, TABLES

if TYPE_CHECKING:
    from .grid import Grid
    from .rows import RawTable

# the readers (csvfile, workbook, header, rows) are imported when a table is read: finding the
# input files and hashing them (report monthly's up-to-date check) needs none of them
EXTENSIONS = (".xlsx", ".xlsm", ".xls")

UNSUPPORTED = {".et": "WPS 表格（.et）", ".ods": "OpenDocument 表格（.ods）",
               ".xlsb": "Excel 二进制工作簿（.xlsb）", ".numbers": "Numbers 表格"}
_YEAR = re.compile(r"(?:19|20)\d{2}")
_COPY = re.compile(r"^(?:[\s\-_—.]*(?:[(（]\d+[)）]|\d{1,8}|副本|的副本|copy|新|最新|旧|备份|bak|"
                   r"v\d+|\d{4}年(?:\d{1,2}月)?|表))*[\s\-_—.]*$", re.I)


@dataclass(frozen=True, slots=True)
class SourceFile:
    path: Path
    sha256: str
    size: int


def classify(name: str) -> tuple[str | None, bool]:
    """A file stem or sheet name → (table key, exact). ``签约项目`` is exact; ``签约项目 (2)``,
    ``签约项目(1)``, ``2026签约项目``, ``签约项目-副本`` are copies of it; ``签约项目汇总`` is
    another sheet (a summary), not the table."""
    text = unicodedata.normalize("NFKC", name).strip().lower()
    for key, names in TABLES.items():
        for n in names:
            if text == n:
                return key, True
    for key, names in TABLES.items():
        for n in names:
            if n in text and _COPY.match(text.replace(n, "", 1)):
                return key, False
    return None, False


def _label(grid: Grid) -> str:
    return grid.file + (f"［{grid.sheet}］" if grid.sheet else "")


def _choose(key: str, found: list[tuple[Grid, bool]], log: ProblemLog) -> Grid | None:
    """The one grid that is table ``key``, or None (logged) when that is not clear."""
    visible = [(g, exact) for g, exact in found if g.visible]
    hidden = [(g, exact) for g, exact in found if not g.visible]
    name = TABLES[key][0]
    if len(visible) > 1:
        labels = "、".join(_label(g) for g, _ in visible)
        years = {m.group(0) for g, _ in visible if (m := _YEAR.search(g.sheet or g.file))}
        if len(years) == len(visible):  # 2025年签约项目, 2026年签约项目: one table per year
            log.error(f"“{name}”按年度分成了{len(visible)}个表：{labels}。请把它们合并到一个名为"
                      f"“{name}”的工作表（或 {name}.csv）中：签约日期和月份已经含有年份")
        else:
            log.error(f"有{len(visible)}个可能是“{name}”的表：{labels}，无法确定用哪一个。"
                      "请只保留一个（把其余的移出数据文件夹、删除或改名）")
        return None
    if visible:
        grid, exact = visible[0]
        if hidden:
            log.note(f"读取了“{_label(grid)}”；隐藏的工作表"
                     f"{'、'.join('“' + (g.sheet or '') + '”' for g, _ in hidden)}未读取", **grid.where())
        elif not exact:
            log.note(f"“{_label(grid)}”作为“{name}”表读取", **grid.where())
        return grid
    if len(hidden) > 1:
        log.error(f"有{len(hidden)}个可能是“{name}”的隐藏工作表：{'、'.join(_label(g) for g, _ in hidden)}"
                  "，无法确定用哪一个。请取消隐藏要用的那个，删除其余的")
        return None
    grid = hidden[0][0]
    log.warn(f"“{name}”表是一个隐藏的工作表，仍按数据读取；如果它是旧表，请删除", **grid.where())
    return grid


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _candidates(folder: Path):
    for path in sorted(folder.iterdir()) if folder.is_dir() else []:
        if path.name.startswith(("~$", ".")) or not path.is_file():
            continue  # Excel's lock files, hidden files
        yield path, path.suffix.lower()


def _outside(path: Path, folder: Path) -> bool:
    """A file of the data folder that is a link to a file elsewhere (/etc/shadow)."""
    return not inside(folder, path)


def input_files(folder: Path, keys=REQUIRED_TABLES) -> list[Path]:
    """The files of a data folder that ``load_tables`` reads (plus config.toml): what a
    briefing depends on, so a fingerprint of them tells whether it must be rebuilt."""
    folder = Path(folder)
    files = [folder / "config.toml"] if (folder / "config.toml").is_file() else []
    for path, suffix in _candidates(folder):
        if ((suffix == ".csv" and classify(path.stem)[0] in keys) or suffix in EXTENSIONS) \
                and not _outside(path, folder):
            files.append(path)
    return files


def load_tables(folder: Path, log: ProblemLog, keys=REQUIRED_TABLES, config=None
                ) -> tuple[dict[str, RawTable], list[SourceFile]]:
    """The tables ``keys`` of ``folder``; a missing required or an ambiguous table is an
    error. A briefing reads only its three tables: a mistake in the handouts' 招商项目 table
    does not stop the monthly briefing. ``config``: its [data] default_unit and hidden_rows."""
    from .csvfile import read_csv
    from .rows import read_table
    from .workbook import read_workbook

    folder = Path(folder)
    default_unit = getattr(config, "default_unit", None)
    hidden_rows = getattr(config, "hidden_rows", "error")
    found: dict[str, list[tuple[Grid, bool]]] = {}
    tried: set[str] = set()  # a file of this table was there, but could not be read
    sources: list[SourceFile] = []
    for path, suffix in _candidates(folder):
        if (suffix == ".csv" or suffix in EXTENSIONS) and _outside(path, folder):
            log.error(f"是指向数据文件夹以外的链接（{path.resolve()}），已拒绝读取", file=path.name)
            if suffix == ".csv" and (key := classify(path.stem)[0]):
                tried.add(key)
            continue
        if suffix == ".csv":
            key, exact = classify(path.stem)
            if key not in keys:
                continue
            tried.add(key)
            try:
                data = path.read_bytes()
            except OSError as exc:
                log.error(f"无法读取文件：{exc.strerror}", file=path.name)
                continue
            expect = tuple(f.name for f in FIELDS[key])
            grid = read_csv(data, path.name, log, expect)
            if grid is not None:
                found.setdefault(key, []).append((grid, exact))
        elif suffix in EXTENSIONS:
            for grid in read_workbook(path, log, lambda n: classify(n)[0] in keys):
                key, exact = classify(grid.sheet)
                tried.add(key)
                found.setdefault(key, []).append((grid, exact))
        elif suffix in UNSUPPORTED:
            log.error(f"不支持 {UNSUPPORTED[suffix]} 格式，请在 WPS/Excel 中另存为 .xlsx 工作簿",
                      file=path.name)
            continue
        else:
            continue
        sources.append(SourceFile(path, sha256_file(path), path.stat().st_size))

    tables: dict[str, RawTable] = {}
    for key in keys:
        if key not in found:
            continue
        grid = _choose(key, found[key], log)
        if grid is None:
            continue
        table = read_table(grid, key, FIELDS[key], log, default_unit, hidden_rows)
        if table is not None:
            tables[key] = table
    for key in REQUIRED_TABLES:
        if key not in found and key not in tried:
            names = TABLES[key]
            log.error(f"缺少表“{names[0]}”：请提供 {names[0]}.csv，或在 .xlsx 工作簿中建一个名为"
                      f"“{names[0]}”的工作表")
    return tables, sources


def decode_csv(data: bytes, expect: tuple[str, ...] = ()) -> tuple[str, str]:
    from .csvfile import decode_csv as decode

    return decode(data, expect)


__all__ = ["load_tables", "input_files", "sha256_file", "classify", "decode_csv", "SourceFile",
           "TABLES", "REQUIRED_TABLES"]
