"""Raw tables → a typed ``Dataset``, collecting every problem before stopping.

Each problem names the file (and sheet), the row number Excel shows, the column header as
the user typed it, the value, and what is wrong — in Chinese. Errors stop the run (exit 2,
nothing written); warnings (suspicious but legal values) are reported and the run goes on.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Callable

from ..errors import ProblemLog
from . import values
from .config import Config, load_config
from .load import REQUIRED_TABLES, TABLES, RawTable, load_tables
from .model import (
    INDICATORS,
    KINDS,
    PROVINCE_SCOPE,
    SOURCES,
    STATUSES,
    TIERS,
    Dataset,
    Fund,
    Opportunity,
    Project,
    Target,
)
from .places import OVERSEAS_DOMESTIC, province_of

MAX_TEXT = 500  # characters in one text cell; a longer one is almost surely a paste error

@dataclass(frozen=True)
class Column:
    key: str
    name: str
    parse: Callable | None = None  # raw → value; None: plain text
    required: bool = True
    money: bool = False
    limit: int = MAX_TEXT  # characters, for text columns


def _header_parts(cell: str) -> tuple[str, str | None, str | None]:
    """``签约金额（亿元）`` → ("签约金额", None, "亿元"); ``签约金额[amount]`` → (.., "amount", ..)."""
    text = unicodedata.normalize("NFKC", cell).replace(" ", "")
    unit = key = None
    if m := re.search(r"\(([^)]*)\)", text):
        unit = m.group(1)
        text = text[: m.start()] + text[m.end():]
    if m := re.search(r"\[([^\]]*)\]", text):
        key = m.group(1).lower()
        text = text[: m.start()] + text[m.end():]
    return text, key, unit


class _TableReader:
    """Maps a RawTable's header onto column specs and parses each row, logging problems."""

    def __init__(self, table: RawTable, columns: list[Column], log: ProblemLog,
                 default_unit: str | None):
        self.table, self.log = table, log
        self.where = {"file": table.file, "sheet": table.sheet}
        self.index: dict[str, int] = {}
        self.header: dict[str, str] = {c.key: c.name for c in columns}
        self.units: dict[str, str] = {}
        self.columns = columns
        by_name = {}
        for c in columns:
            by_name[c.name] = c
            by_name[c.key] = c
        for i, cell in enumerate(table.header):
            if not cell:
                continue
            name, key, unit = _header_parts(cell)
            col = by_name.get(name) or by_name.get(name.lower()) or (key and by_name.get(key))
            if col is None:
                log.warn("未知的列，已忽略", row=table.header_row, column=cell, **self.where)
                continue
            if col.key in self.index:
                log.error("列重复出现", row=table.header_row, column=cell, **self.where)
                continue
            self.index[col.key] = i
            self.header[col.key] = cell
            if col.money:
                u = unit if unit is None else unit.replace("人民币", "")
                if u and u not in values.UNIT_FACTORS:
                    log.error("表头中的金额单位无法识别（应为 元、万元 或 亿元）",
                              row=table.header_row, column=cell, **self.where)
                    u = "元"
                self.units[col.key] = u or default_unit or ""
        for c in columns:
            if c.key not in self.index and c.required:
                log.error(f"缺少必填列“{c.name}”（也可写作 {c.key}）", row=table.header_row,
                          column=c.name, **self.where)
            elif c.key in self.index and c.money and not self.units[c.key]:
                log.error("表头未注明金额单位，请写作如“" + c.name + "（万元）”，"
                          "或在 config.toml 的 [data] 中设置 default_unit",
                          row=table.header_row, column=self.header[c.key], **self.where)
                self.units[c.key] = "元"
        self.ok = all(c.key in self.index for c in columns if c.required)

    def rows(self):
        """Yields (row number, {key: value or None}, had_error)."""
        for number, cells in self.table.rows:
            record, bad = {}, False
            for c in self.columns:
                i = self.index.get(c.key)
                raw = cells[i] if i is not None and i < len(cells) else None
                if values.is_blank(raw):
                    if c.required:
                        self.error(number, c.key, "不能为空")
                        bad = True
                    record[c.key] = None
                    continue
                try:
                    if c.parse is None:
                        text = values.clean_text(raw, fold=False)
                        if len(text) > c.limit:
                            raise ValueError(f"内容过长（{len(text)}个字符，最多{c.limit}个）")
                        record[c.key] = text
                    elif c.money:
                        record[c.key] = c.parse(raw, self.units[c.key] or "元")
                    else:
                        record[c.key] = c.parse(raw)
                except ValueError as exc:
                    self.error(number, c.key, str(exc), raw)
                    record[c.key] = None
                    bad = True
            yield number, record, bad

    def error(self, row: int, key: str, message: str, raw=None) -> None:
        self.log.error(message, row=row, column=self.header[key],
                       value=None if raw is None else values.clean_text(raw)[:200], **self.where)

    def warn(self, row: int, key: str, message: str, raw=None) -> None:
        self.log.warn(message, row=row, column=self.header[key],
                      value=None if raw is None else str(raw), **self.where)


def _code(raw):
    """An identifier such as 项目编号: full-width letters and digits folded, so that
    ``ＱＨ００１`` in one table matches ``QH001`` in another."""
    text = values.clean_text(raw).replace(" ", "")
    if len(text) > 64:
        raise ValueError("项目编号过长（最多64个字符）")
    return text


def _choice(options, what):
    def parse(raw):
        text = values.clean_text(raw)
        if text not in options:
            raise ValueError(f"不是已知的{what}（应为 {'、'.join(options)} 之一）")
        return text
    return parse


def _lookup(table: dict[str, str], what: str, hint: str):
    def parse(raw):
        text = values.clean_text(raw).replace(" ", "")
        if text not in table:
            raise ValueError(f"不是已知的{what}，{hint}")
        return table[text]
    return parse


def _tiers(raw):
    tiers = values.split_list(raw)
    for t in tiers:
        if t not in TIERS:
            raise ValueError(f"“{t}”不是已知的企业类别（应为 {'、'.join(TIERS)}，多个用“、”分隔）")
    return tuple(dict.fromkeys(tiers))


def validate(config: Config, tables: dict[str, RawTable], log: ProblemLog,
             today: date | None = None) -> Dataset:
    """Typed rows from raw tables; every problem goes to ``log``. ``today`` (for the
    "date in the future" warning) defaults to the real date: it only affects warnings."""
    today = today or date.today()
    regions = config.region_lookup()
    region_hint = "请使用 config.toml 中列出的市州名称或简称"
    region = _lookup(regions, "市州", region_hint)
    industry = _lookup({i: i for i in config.industries}, "产业",
                       "请使用 config.toml 中列出的产业名称")

    projects: list[Project] = []
    by_id: dict[str, tuple[Project, int]] = {}
    if t := tables.get("projects"):
        reader = _TableReader(t, [
            Column("id", "项目编号", _code),
            Column("name", "项目名称"),
            Column("region", "市州", region),
            Column("county", "县区", required=False),
            Column("industry", "产业", industry),
            Column("investor", "投资方"),
            Column("origin", "投资方所在地", required=False),
            Column("tier", "企业类别", _tiers, required=False),
            Column("signed_on", "签约日期", values.parse_date),
            Column("event", "签约活动", required=False),
            Column("amount", "签约金额", values.parse_amount, money=True),
            Column("kind", "建设类型", _choice(KINDS, "建设类型"), required=False),
            Column("status", "项目状态", _choice(STATUSES, "项目状态"), required=False),
        ], log, config.default_unit)
        if reader.ok:
            for number, r, bad in reader.rows():
                pid = r["id"]
                if pid and pid in by_id:
                    reader.error(number, "id", f"项目编号重复（第{by_id[pid][1]}行已使用）", pid)
                    continue
                if r["signed_on"] and r["signed_on"] > today:
                    reader.warn(number, "signed_on", "签约日期晚于今天，请确认",
                                r["signed_on"].isoformat())
                if bad:
                    if pid:
                        by_id[pid] = (None, number)  # known id: its funds are not "unknown"
                    continue
                p = Project(
                    id=pid, name=r["name"], region=r["region"], industry=r["industry"],
                    investor=r["investor"], signed_on=r["signed_on"], amount=r["amount"],
                    county=r["county"], origin=r["origin"], tiers=r["tier"] or (),
                    event=r["event"], kind=r["kind"], status=r["status"], row=number)
                by_id[pid] = (p, number)
                projects.append(p)

    funds: list[Fund] = []
    if (t := tables.get("funds")) and "projects" in tables:
        reader = _TableReader(t, [
            Column("project_id", "项目编号", _code),
            Column("month", "月份", values.parse_month),
            Column("amount", "到位资金", values.parse_amount, money=True),
            Column("source", "资金来源", _choice(SOURCES, "资金来源"), required=False),
        ], log, config.default_unit)
        if reader.ok:
            seen: dict[tuple, int] = {}
            cumulative: dict[str, Decimal] = defaultdict(Decimal)
            last_row: dict[str, int] = {}
            for number, r, bad in reader.rows():
                pid = r["project_id"]
                if pid and pid not in by_id:
                    reader.error(number, "project_id", "在“签约项目”表中找不到这个项目编号", pid)
                    continue
                if bad:
                    continue
                project = by_id[pid][0]
                year, month = r["month"]
                if project is None:
                    continue  # the project row itself had errors, already reported
                if (year, month) < (project.signed_on.year, project.signed_on.month):
                    reader.error(number, "month",
                                 f"到位资金月份早于项目签约日期（{project.signed_on.year}年"
                                 f"{project.signed_on.month}月{project.signed_on.day}日）",
                                 f"{year}-{month:02d}")
                    continue
                if (year, month) > (today.year, today.month):
                    reader.warn(number, "month", "月份晚于本月，请确认", f"{year}-{month:02d}")
                source = r["source"] or _derive_source(project.origin, config)
                key = (pid, year, month, r["source"])
                if key in seen:
                    reader.error(number, "month", f"同一项目同一月份的到位资金重复（第{seen[key]}行）",
                                 f"{year}-{month:02d}")
                    continue
                seen[key] = number
                cumulative[pid] += r["amount"]
                last_row[pid] = number
                funds.append(Fund(pid, year, month, r["amount"], source))
            for pid, total in cumulative.items():
                project = by_id[pid][0]
                if total > project.amount:
                    reader.warn(last_row[pid], "amount",
                                f"项目{pid}累计到位资金（{total / 10000:.2f}万元）超过签约金额"
                                f"（{project.amount / 10000:.2f}万元），请确认", None)

    targets: list[Target] = []
    if t := tables.get("targets"):
        scopes = dict(regions)
        for name in (PROVINCE_SCOPE, config.province, config.province_short):
            if name:
                scopes[name] = PROVINCE_SCOPE
        reader = _TableReader(t, [
            Column("year", "年度", values.parse_year),
            Column("scope", "范围", _lookup(scopes, "范围",
                                           "应为“全省”或 config.toml 中的市州")),
            Column("indicator", "指标", _choice(INDICATORS, "指标")),
            Column("target", "目标", None, money=True),
        ], log, config.default_unit or "元")
        if reader.ok:
            seen_t: dict[tuple, int] = {}
            for number, r, bad in reader.rows():
                if bad:
                    continue
                raw = r["target"]
                try:
                    if r["indicator"] == "签约项目数":
                        value = values.parse_count(raw)
                    else:
                        value = values.parse_amount(raw, reader.units.get("target") or "元")
                except ValueError as exc:
                    reader.error(number, "target", str(exc), raw)
                    continue
                key = (r["year"], r["scope"], r["indicator"])
                if key in seen_t:
                    reader.error(number, "indicator", f"同一年度、范围、指标的目标重复（第{seen_t[key]}行）",
                                 r["indicator"])
                    continue
                seen_t[key] = number
                targets.append(Target(r["year"], r["scope"], r["indicator"], value))

    opportunities = _opportunities(tables["opportunities"], config, log, region, industry) \
        if "opportunities" in tables else ()
    return Dataset(config, tuple(projects), tuple(funds), tuple(targets), opportunities)


def _opportunities(table: RawTable, config: Config, log: ProblemLog, region, industry):
    """招商项目: the projects the bureau offers to investors (delegation handouts)."""
    reader = _TableReader(table, [
        Column("name", "项目名称"),
        Column("region", "市州", region),
        Column("industry", "产业", industry),
        Column("investment", "投资估算", values.parse_amount, required=False, money=True),
        Column("mode", "合作方式", required=False),
        Column("intro", "项目简介", required=False, limit=2000),
        Column("contact", "联系人", required=False),
        Column("phone", "联系电话", required=False),
        Column("name_en", "英文项目名称", required=False),
        Column("mode_en", "英文合作方式", required=False),
        Column("intro_en", "英文项目简介", required=False, limit=4000),
    ], log, config.default_unit)
    found: list = []
    if not reader.ok:
        return ()
    names: dict[str, int] = {}
    for number, r, bad in reader.rows():
        if r["name"] in names:
            reader.error(number, "name", f"项目名称重复（第{names[r['name']]}行已有）", r["name"])
            continue
        if bad:
            continue
        names[r["name"]] = number
        found.append(Opportunity(row=number, **r))
    return tuple(found)


def _derive_source(origin: str | None, config: Config) -> str | None:
    if not origin:
        return None
    province = province_of(origin)
    if province is None or province in OVERSEAS_DOMESTIC:
        return "境外"
    return "省内" if province == config.province else "省外"


def load_dataset(folder: Path, today: date | None = None, extra: tuple[str, ...] = ()) -> Dataset:
    """load → validate for a data folder. Raises ConfigError / DataError (with every problem).
    ``extra``: optional tables to read besides the briefing's three (``opportunities``)."""
    folder = Path(folder)
    config = load_config(folder)
    log = ProblemLog(list(config.warnings))
    tables, sources = load_tables(folder, log, REQUIRED_TABLES + tuple(extra))
    dataset = validate(config, tables, log, today=today)
    log.raise_if_errors()
    dataset.sources = sources
    dataset.warnings = log.warnings
    dataset.table_files = {k: (t.file, t.sheet) for k, t in tables.items()}
    return dataset


__all__ = ["load_dataset", "validate", "TABLES"]
