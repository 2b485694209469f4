"""The header of a table: where it is, what each column is, in which unit.

Ledgers rarely start with their header: a title (2026年招商引资签约项目台账), a 填报单位 and
date, a 单位：万元 line come first, and the header itself is often two rows with merged cells
(签约 over 日期 | 金额（万元）). The header is the row — or the pair of rows, combined — among
the first ``SCAN`` that names the most of the table's columns; the rows above it are titles,
and a unit given there applies to money columns without one of their own.

Header cells are compared as staff mean them: line breaks (Alt+Enter), spaces, invisible
characters and full-width forms removed (``投资方\\n所在地`` = 投资方所在地, ``（万元）`` =
``(万元)``). A cell that resembles a column of the table but does not match it (投资方所在地区)
is an error naming the column it resembles: its figures would otherwise be left out without a
word. Other unknown columns are a warning, and ignored.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from ..errors import ProblemLog
from .grid import Grid, column_name
from .schema import IGNORED, Field

SCAN = 30  # rows searched for the header
_TIER_FLAG = re.compile(r"^(?:是否)?(?:为)?(世界500强|中国500强|民营500强|全球独角兽500强|央企)(?:企业)?$")
_MONTH_COLUMN = re.compile(r"^(?:\d{4}年)?(?:\d{1,2}|[一二三四五六七八九十]{1,2})月(?:份)?(?:\(.*\))?$|"
                           r"^\d{4}[-./]\d{1,2}$")
UNITS = {"元": "元", "万元": "万元", "亿元": "亿元", "万亿元": "万亿元", "人民币万元": "万元",
         "人民币亿元": "亿元", "人民币元": "元", "万": "万元", "亿": "亿元"}
_UNIT_WORDS = "万亿元|亿元|万元|元"
_TABLE_UNIT = re.compile(rf"单位\s*[:：]\s*(?:人民币)?({_UNIT_WORDS})")
_TRAILING_UNIT = re.compile(rf"^(.+?)[/:]?(?:单位:?)?({_UNIT_WORDS})$")


def _strip(text: str) -> str:
    """Whitespace of any kind and invisible characters out."""
    return "".join(ch for ch in text if not (ch.isspace() or unicodedata.category(ch) == "Cf"))


def normalise(cell) -> str:
    """A header cell as compared: NFKC (full-width → half), no whitespace, no invisible
    characters, 【】 as (). Fast for the common case: text that needs none of it."""
    if cell is None:
        return ""
    text = cell if isinstance(cell, str) else str(cell)
    if not text.isascii() and not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    if " " in text or not text.isprintable():  # isprintable: False for Cf, Zs, Cc
        text = _strip(text)
    if "【" in text or "】" in text:
        text = text.replace("【", "(").replace("】", ")")
    return text


def parts(text: str) -> tuple[str, str | None, str | None]:
    """A normalised header → (name, English key, unit): ``签约金额[amount](亿元)`` →
    ("签约金额", "amount", "亿元"); ``签约金额/万元`` → ("签约金额", None, "万元")."""
    unit = key = None
    if m := re.search(r"\[([^\]]*)\]", text):
        key = m.group(1).lower()
        text = text[: m.start()] + text[m.end():]
    if m := re.search(r"\(([^)]*)\)", text):
        unit = m.group(1).removeprefix("单位:").removeprefix("单位")
        text = text[: m.start()] + text[m.end():]
    elif m := _TRAILING_UNIT.match(text):
        text, unit = m.group(1), m.group(2)
    return text, key, unit


@dataclass
class Columns:
    """Where each field of a table is: column index, the header as typed, the unit."""

    index: dict[str, int] = field(default_factory=dict)
    header: dict[str, str] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    known: set[int] = field(default_factory=set)  # columns read (a field) or ignored (序号)
    ok: bool = True  # every required field found
    # 500强 kept as one column per list (是否世界500强: √): column → the 企业类别 it marks
    flags: dict[int, str] = field(default_factory=dict)


class Matcher:
    """Looks up header cells among a table's fields."""

    def __init__(self, fields: tuple[Field, ...]):
        self.fields = fields
        self.by_name: dict[str, Field] = {}
        for f in fields:
            for name in (f.name, *f.aliases):
                self.by_name[normalise(name)] = f
            self.by_name.setdefault(f.key.lower(), f)

    def match(self, cell) -> tuple[Field | None, str | None]:
        """(field, unit) of one header cell."""
        text = normalise(cell)
        if not text:
            return None, None
        if text in self.by_name:  # 市(州): the whole cell is a name
            return self.by_name[text], None
        name, key, unit = parts(text)
        f = self.by_name.get(name) or self.by_name.get(name.lower()) or \
            (self.by_name.get(key) if key else None)
        return f, unit

    def score(self, cells) -> int:
        return len({f.key for f in (self.match(c)[0] for c in cells) if f is not None})

    def resembling(self, cell, candidates) -> Field | None:
        name = parts(normalise(cell))[0]
        if len(name) < 2:
            return None
        for f in candidates:
            for known in (normalise(f.name), *map(normalise, f.aliases)):
                if known in name or name in known or \
                        SequenceMatcher(None, name, known).ratio() >= 0.6:
                    return f
        return None


@dataclass
class Header:
    rows: tuple[int, ...]  # 0-based rows the header takes (one, or two combined)
    cells: list[str]  # the header text of each column as shown (two rows joined)
    titles: list[int]  # rows above it
    unit: str | None = None  # 单位：万元 in a title row

    @property
    def last(self) -> int:
        return self.rows[-1]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _spread(grid: Grid, row: int, cells: list[str], below: list[str]) -> list[str]:
    """The top row of a two-row header with each merged cell's text over every column it
    spans (in a CSV, where merges are lost, over the empty cells to its right that have a
    sub-heading below)."""
    out = list(cells)
    for m in grid.merged:
        if m.top <= row <= m.bottom and m.right > m.left:
            for c in range(m.left, min(m.right + 1, len(out))):
                out[c] = cells[m.left] if m.left < len(cells) else ""
    if grid.csv:
        for c in range(1, len(out)):
            if not out[c] and c < len(below) and below[c] and out[c - 1]:
                out[c] = out[c - 1]
    return out


def _is_units(cells: list[str]) -> bool:
    shown = [normalise(c).strip("()") for c in cells if normalise(c)]
    return bool(shown) and all(s.removeprefix("单位:") in UNITS for s in shown)


def find_header(grid: Grid, matcher: Matcher) -> Header | None:
    """The header row (or two), or None for an empty grid."""
    rows = grid.cells
    width = max((len(r) for r in rows[:SCAN + 1]), default=0)
    texts = [[_text(c) for c in r] + [""] * (width - len(r)) for r in rows[:SCAN + 1]]
    non_empty = [i for i, r in enumerate(texts) if any(r)]
    if not non_empty:
        return None
    best: tuple[int, tuple[int, ...], list[str]] | None = None
    for i in non_empty[:SCAN]:
        single = matcher.score(texts[i])
        candidates = [(single, (i,), texts[i])]
        if i + 1 < len(texts) and any(texts[i + 1]):
            top = _spread(grid, i, texts[i], texts[i + 1])
            joined = [t + b if b and b != t else t for t, b in zip(top, texts[i + 1])]
            two = matcher.score(joined)
            if two > single or (two == single and single and _is_units(texts[i + 1])):
                candidates.append((two, (i, i + 1), joined))
        for score, used, cells in candidates:
            if best is None or score > best[0]:
                best = (score, used, cells)
    score, used, cells = best
    if score < 2:  # nothing looks like this table's header: the first row, as typed
        used, cells = (non_empty[0],), texts[non_empty[0]]
    titles = [i for i in non_empty if i < used[0]]
    unit = None
    for i in titles:
        for c in texts[i]:
            if m := _TABLE_UNIT.search(normalise(c) or ""):
                unit = m.group(1)
    return Header(used, cells, titles, unit)


def map_columns(header: Header, matcher: Matcher, grid: Grid, log: ProblemLog,
                default_unit: str | None) -> Columns:
    """Each field's column, every header problem logged: unknown columns (a warning), a
    look-alike of a field that is not found (an error), a column twice, a money column
    without a unit, a required column missing."""
    row = header.last + 1  # the row Excel shows
    where = grid.where()
    cols = Columns()
    unknown: list[tuple[int, str]] = []
    for i, cell in enumerate(header.cells):
        text = normalise(cell)
        if not text:
            continue
        f, unit = matcher.match(cell)
        if f is None and (m := _TIER_FLAG.match(text)) and any(
                x.key == "tier" for x in matcher.fields):
            cols.flags[i] = m.group(1)
            cols.known.add(i)
            continue
        if f is None:
            if text in IGNORED:
                cols.known.add(i)
            else:
                unknown.append((i, cell))
            continue
        if f.key in cols.index:
            first = column_name(cols.index[f.key])
            log.error(f"列重复出现（{first}列已是“{cols.header[f.key]}”）：无法确定用哪一列，"
                      "请删除或改名其中一列", row=row, column=cell, **where)
            continue
        cols.index[f.key] = i
        cols.header[f.key] = cell
        cols.known.add(i)
        if f.money:
            u = UNITS.get(unit.replace("人民币", "")) if unit else None
            if unit and u is None:
                log.error("表头中的金额单位无法识别（应为 元、万元 或 亿元）", row=row, column=cell,
                          **where)
                u = "元"
            cols.units[f.key] = u or header.unit or default_unit or ""
            if not u and header.unit:
                log.note(f"表头未注明单位，按表格上方的“单位：{header.unit}”读取", row=row,
                         column=cell, **where)
    missing = [f for f in matcher.fields if f.key not in cols.index]
    monthly = [cell for _, cell in unknown if _MONTH_COLUMN.match(normalise(cell))]
    if any(f.key == "month" for f in missing) and len(monthly) >= 2:
        log.error(f"月份是按列排的（表头有“{monthly[0].strip()}”“{monthly[1].strip()}”等{len(monthly)}列）："
                  "到位资金表需要每个项目每月一行——“项目编号”“月份”“到位资金（万元）”三列。请把表改为"
                  "这种格式（report template 可生成模板）", row=row, **where)
        cols.ok = False
        return cols
    looked_alike: set[str] = set()
    for i, cell in unknown:
        f = matcher.resembling(cell, missing)
        if f is not None and f.key not in looked_alike:
            looked_alike.add(f.key)
            log.error(f"表头“{cell.strip()}”像是“{f.name}”列，但写法不同，无法确定是不是同一列"
                      f"（这一列的内容会影响统计数字）：请把表头改为“{f.name}"
                      f"{'（万元）' if f.money else ''}”", row=row, column=cell, **where)
            cols.ok = cols.ok and not f.required
        else:
            log.warn("未知的列，已忽略", row=row, column=cell, **where)
    for f in missing:
        if f.required and f.key not in looked_alike:
            log.error(f"缺少必填列“{f.name}”（也可写作 {f.key}）", row=row, column=f.name, **where)
            cols.ok = False
    for key, u in cols.units.items():
        if not u:
            f = next(f for f in matcher.fields if f.key == key)
            log.error(f"表头未注明金额单位，请写作如“{f.name}（万元）”，"
                      "或在 config.toml 的 [data] 中设置 default_unit",
                      row=row, column=cols.header[key], **where)
            cols.units[key] = "元"
    return cols
