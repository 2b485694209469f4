"""A table read out of a grid: the header (header.py), then which rows are data.

Below the header a ledger holds more than project rows. Recognised and not read as data:
blank rows (also rows where only 序号 is filled: a template numbered to row 500), a repeated
header, 合计 / 总计 / 小计 rows (kept aside: validate.py checks their amounts against the
rows they sum, 勾稽), 备注 / 注 / 填表人 / 审核人 lines, and group titles (一、西宁市).

What a reader sees is what is read: a merged range carries its value to every row it covers
(said once per range) — except an amount merged over several rows, which cannot be split
between projects and is an error. Hidden rows are an error unless config.toml says what they
are (``[data] hidden_rows = "include"`` or ``"exclude"``); rows hidden by an active
autofilter are data filtered out of view, and are read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import ProblemLog
from .grid import Grid, cell_name, column_name, row_list
from .header import Columns, Matcher, find_header, map_columns, normalise
from .schema import Field

_TOTAL = re.compile(r"^(合计|总计|小计|共计|总合计|累计|全省合计|全市合计|全州合计)(?=$|[(:：\d])")
_FOOTER = re.compile(r"^(备注|注|说明|附注|填表人|填报人|审核人|审核|负责人|单位负责人|制表人|制表|"
                     r"填报日期|填表日期|报送日期|联系人|联系电话)(?:[:：]|$)")
_GROUP = re.compile(r"^(?:[一二三四五六七八九十百]+[、.]|[(][一二三四五六七八九十百]+[)]|"
                    r"\d{1,3}[、.](?!\d))")


@dataclass
class Total:
    """A 合计 / 小计 row, or a group title carrying its group's sums: the rows it sums."""

    row: int  # Excel row
    label: str
    cells: list
    covers: list[int] = field(default_factory=list)  # Excel rows of the data it sums
    hidden: list[int] = field(default_factory=list)  # excluded hidden rows within its span


@dataclass
class RawTable:
    key: str
    file: str  # as shown to the user: the file name within the data folder
    sheet: str | None
    header_row: int  # the Excel row of the header (its last row, when it has two)
    columns: Columns
    rows: list[tuple[int, list]] = field(default_factory=list)  # (Excel row, cells)
    totals: list[Total] = field(default_factory=list)
    header_cells: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.columns.ok

    def where(self) -> dict:
        return {"file": self.file, "sheet": self.sheet}


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _cell(cells: list, i: int):
    return cells[i] if i < len(cells) else None


# first characters of 合计 / 备注 / 填表人 / group titles: rows starting otherwise skip the regexes
_STARTS = set("合总小共累全备注说附填审负单制报联一二三四五六七八九十百(（0123456789")


def _label(cells: list, cols: Columns, keys: tuple[int, ...]) -> str:
    """The first texts of a row (where 合计, 备注 or a group title is written): the first
    four cells and the id / name columns."""
    for i in keys:
        if i < len(cells) and isinstance(c := cells[i], str) and c:
            first = c.lstrip()[:1]
            if first.isdigit() and "、" not in c[:5] and "." not in c[:4]:
                continue  # 2026-10, QH001: not "1、西宁市"
            if first in _STARTS:
                t = normalise(c)
                if _TOTAL.match(t) or _FOOTER.match(t) or _GROUP.match(t):
                    return t
    return ""


def _plain_id(text: str) -> bool:
    """An id that cannot begin 合计, 备注 or a group title (QH2026-001, 2026001): its row is
    data without looking further."""
    first = text[:1]
    if first.isspace():
        first = text.lstrip()[:1]
    return first not in _STARTS or (first.isdigit() and "、" not in text[:5] and "." not in text[:4])


def _group_title(cells: list, cols: Columns, label: str) -> bool:
    if not label or _GROUP.match(label) is None:
        return False
    id_col = cols.index.get("id", cols.index.get("project_id"))
    if id_col is None or _blank(_cell(cells, id_col)) or normalise(_cell(cells, id_col)) == label:
        return True
    return len({normalise(c) for c in cells if not _blank(c)}) == 1


def _fill_merged(grid: Grid, first: int, cols: Columns, fields: dict[str, Field],
                 log: ProblemLog) -> set[int]:
    """Every merged range below the header carries its value over the cells it covers.
    Returns the rows of amounts merged over several rows (an error, logged)."""
    money = {cols.index[k] for k, f in fields.items() if f.money and k in cols.index}
    bad: set[int] = set()
    for m in grid.merged:
        if m.bottom < first or m.top >= len(grid.cells):
            continue  # above the data, or in the empty area below the sheet's last row
        top = max(m.top, first)
        value = grid.cells[m.top][m.left] if m.left < len(grid.cells[m.top]) else None
        spans_money = [c for c in money if m.left <= c <= m.right]
        if spans_money and m.bottom > top and not _blank(value):
            column = next(k for k, i in cols.index.items() if i == spans_money[0])
            log.error(f"金额是一个合并单元格（{m.a1()}，覆盖{row_list(range(top + 1, m.bottom + 2))}）"
                      "：一个金额不能分给多个项目，请取消合并，每行填写各自的金额",
                      row=top + 1, column=cols.header[column], value=str(value), **grid.where())
            bad.update(range(top, m.bottom + 1))
            continue
        for r in range(top, min(m.bottom + 1, len(grid.cells))):
            row = grid.cells[r]
            if len(row) <= m.right:
                row.extend([None] * (m.right + 1 - len(row)))
            for c in range(m.left, m.right + 1):
                if (r, c) != (m.top, m.left):
                    row[c] = value
        read = [k for k, i in cols.index.items() if m.left <= i <= m.right]
        if m.bottom > top and not _blank(value) and read:
            log.note(f"合并单元格 {m.a1()} 的内容计入它覆盖的每一行"
                     f"（{row_list(range(top + 1, m.bottom + 2))}）", row=top + 1,
                     column=cols.header[read[0]], value=str(value), **grid.where())
    return bad


def read_table(grid: Grid, key: str, fields: tuple[Field, ...], log: ProblemLog,
               default_unit: str | None, hidden_rows: str = "error") -> RawTable | None:
    """The table ``key`` of this grid; None (logged) when it is empty."""
    where = grid.where()
    matcher = Matcher(fields)
    header = find_header(grid, matcher)
    if header is None:
        log.error("工作表为空，没有表头" if grid.sheet else "文件为空，没有表头", **where)
        return None
    cols = map_columns(header, matcher, grid, log, default_unit)
    table = RawTable(key, grid.file, grid.sheet, header.last + 1, cols,
                     header_cells=header.cells)
    if header.titles:
        log.note(f"表头在第{header.last + 1}行，上方的{row_list(t + 1 for t in header.titles)}"
                 "（标题、填报单位等）未作为数据读取", **where)
    if not cols.ok:
        return table  # a missing column: its rows would only repeat the one error
    by_key = {f.key: f for f in fields}
    first = header.last + 1
    merged_amounts = _fill_merged(grid, first, cols, by_key, log)
    field_cols = sorted(cols.index.values())
    for key_, i in cols.index.items():
        if i in grid.hidden_cols:
            log.note("这一列是隐藏列，仍按数据读取", row=header.last + 1, column=cols.header[key_],
                     **where)
    width = max(i for i, c in enumerate(header.cells) if normalise(c)) + 1
    # a CSV record's fields, as the header has them (Excel writes every row as wide)
    fields = max(width, *(len(grid.cells[i]) for i in header.rows))
    header_norm = [normalise(c) for c in header.cells]
    label_cols = tuple(dict.fromkeys([0, 1, 2, 3] + [cols.index[k] for k in
                                                     ("id", "project_id", "name", "year")
                                                     if k in cols.index]))
    first_col = field_cols[0]
    id_col = cols.index.get("id", cols.index.get("project_id"))
    flagged = bool(grid.errors or grid.no_result)  # cells to look at one by one
    head_first = header_norm[first_col][:1]
    skipped: dict[str, list[int]] = {}
    hidden, filtered, extra_fields, outside = [], [], [], []
    segment: list[int] = []  # data rows since the last group boundary
    group: Total | None = None
    totals_all: list[Total] = []
    for r in range(first, len(grid.cells)):
        cells = grid.cells[r]
        number = r + 1
        n_cells = len(cells)
        for i in field_cols:
            if i < n_cells and (v := cells[i]) is not None and v != "" and \
                    not (isinstance(v, str) and v.isspace()):
                break
        else:
            continue  # blank, or only 序号 / columns we do not read
        if r <= first + 1 and matcher.score(cells) * 2 >= len(field_cols) and \
                not any(isinstance(c, (int, float)) for c in cells):
            skipped.setdefault("表头（英文列名、单位等）", []).append(number)
            continue  # a second header row: the English keys, as exported by another system
        idv = cells[id_col] if id_col is not None and id_col < n_cells else None
        if idv is not None and idv != "" and (not isinstance(idv, str) or _plain_id(idv)):
            label = ""  # a row with its own 项目编号 is data, whatever its name says
        else:
            label = _label(cells, cols, label_cols)
            if label and idv is not None and not _blank(idv) and normalise(idv) != label:
                label = ""
        if isinstance(c0 := _cell(cells, first_col), str) and c0.lstrip()[:1] == head_first and \
                normalise(c0) == header_norm[first_col] and \
                sum(1 for i in field_cols if normalise(_cell(cells, i)) == header_norm[i]) * 2 \
                >= len(field_cols):
            skipped.setdefault("重复的表头", []).append(number)
            continue
        if label and _TOTAL.match(label):
            t = Total(number, label, list(cells))
            if label.startswith("小计"):
                t.covers = list(segment)
                segment = []
            table.totals.append(t)
            if not label.startswith("小计"):
                totals_all.append(t)
            continue
        if label and _FOOTER.match(label):
            skipped.setdefault("备注、填表人等", []).append(number)
            continue
        if _group_title(cells, cols, label):
            skipped.setdefault("分组标题", []).append(number)
            segment = []
            money = [i for k, i in cols.index.items() if by_key[k].money]
            group = Total(number, label, list(cells)) if any(
                not _blank(_cell(cells, i)) for i in money) else None
            if group:
                table.totals.append(group)
            continue
        if r in grid.hidden_rows:
            hidden.append(number)
            if hidden_rows == "exclude":
                if group:
                    group.hidden.append(number)
                for t in totals_all:
                    t.hidden.append(number)
                continue
        if r in grid.filtered_rows:
            filtered.append(number)
        if r in merged_amounts:
            continue
        if grid.csv and len(cells) > fields:
            n = len(cells)
            extra_fields.append(number)
            log.error(f"这一行有{n}个字段，比表头多{n - fields}个：很可能是某个数字中的逗号"
                      "（如 2,675.83）没有加引号，把一个单元格拆成了两个。请在 Excel/WPS 中打开"
                      "这个文件，检查这一行后重新保存为 CSV", row=number, **where)
            continue
        if not grid.csv and n_cells > width and any(not _blank(c) for c in cells[width:]):
            outside.append(number)
        for c in field_cols if flagged else ():
            if (r, c) in grid.errors:
                column = next(k for k, i in cols.index.items() if i == c)
                log.error(f"单元格 {cell_name(r, c)} 显示错误值 {grid.errors[(r, c)]}（公式出错），"
                          "它的内容无法确定：请在 Excel/WPS 中改正公式后再试", row=number,
                          column=cols.header[column], **where)
            if (r, c) in grid.no_result:
                column = next(k for k, i in cols.index.items() if i == c)
                log.error(f"单元格 {cell_name(r, c)} 是公式，但文件里没有保存它的计算结果（文件可能"
                          "由其他程序生成，未在 Excel 中打开过）：请在 Excel/WPS 中打开并保存后再试",
                          row=number, column=cols.header[column], **where)
        table.rows.append((number, cells))
        segment.append(number)
        if group:
            group.covers.append(number)
    for t in totals_all:
        t.covers = [n for n, _ in table.rows]
    for what, numbers in skipped.items():
        log.note(f"{row_list(numbers)}是{what}，未作为数据读取", **where)
    if hidden:
        if hidden_rows == "error":
            log.error(f"{row_list(hidden)}是隐藏行（共{len(hidden)}行）：无法确定隐藏的行是否应计入。"
                      "请取消隐藏或删除这些行；或在 config.toml 的 [data] 中写明 hidden_rows = "
                      "\"include\"（隐藏行照常计入）或 \"exclude\"（隐藏行不计入）", **where)
        else:
            word = "照常计入" if hidden_rows == "include" else "未计入"
            log.note(f"{row_list(hidden)}是隐藏行，按 config.toml 的 hidden_rows = "
                     f"\"{hidden_rows}\" {word}", **where)
    if filtered:
        log.note(f"工作表处于筛选状态，{row_list(filtered)}被筛选隐藏，仍作为数据读取", **where)
    if outside:
        log.warn(f"{row_list(outside)}在表头以外的列（{column_name(width)}列及以后）中有内容，"
                 "已忽略", **where)
    return table
