"""Raw tables → a typed ``Dataset``, collecting every problem before stopping.

Each problem names the file (and sheet), the row number Excel shows, the column header as
the user typed it, the value, and what is wrong — in Chinese; for a name that must be one of
a list (市州, 产业, 企业类别, 指标) the message lists the choices. Errors stop the run (exit 2,
nothing written); warnings (suspicious but legal values) are reported and the run goes on.

Root causes first: a table whose header lacks a required column is one error, not one per
row, and the funds of a 签约项目 table that could not be read are not each reported as
"unknown project". A 合计 / 小计 row's amounts are checked against the rows it sums (勾稽).
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Callable

from ..errors import ProblemLog
from . import descriptions, plausible, values
from .config import Config, load_config
from .grid import row_list
from .load import REQUIRED_TABLES, TABLES, load_tables
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
from .places import OVERSEAS_DOMESTIC, REGION_WORDS, country_of, province_of
from .rows import RawTable
from .schema import FIELDS


class _Reader:
    """Parses a RawTable's rows with one parser per field, logging problems."""

    def __init__(self, table: RawTable, parsers: dict[str, Callable | None], log: ProblemLog):
        self.table, self.log, self.parsers = table, log, parsers
        self.fields = {f.key: f for f in FIELDS[table.key]}
        self.where = table.where()
        self.columns = table.columns
        self.header = {f.key: table.columns.header.get(f.key, f.name) for f in FIELDS[table.key]}
        self.units = table.columns.units
        self.ok = table.ok
        self.amounts: dict[str, dict[int, Decimal]] = defaultdict(dict)  # for the 勾稽

    def rows(self):
        """Yields (row number, {key: value or None}, had_error)."""
        index = self.columns.index
        # every parser but the amounts' is a function of the cell alone: a value seen before
        # (a project's id in its fund rows, a month, a 市州) is not parsed again; a cell that
        # is refused is, every time, so that each row gets its error
        specs = [(key, f, index.get(key), self.parsers.get(key), self.units.get(key) or "元",
                  None if f.money else {}) for key, f in self.fields.items()]
        is_blank = values.is_blank
        for number, cells in self.table.rows:
            record, bad, width = {}, False, len(cells)
            for key, f, i, parse, unit, seen in specs:
                raw = cells[i] if i is not None and i < width else None
                if raw is None or raw == "" or is_blank(raw):
                    if f.required:
                        self.error(number, key, "不能为空")
                        bad = True
                    record[key] = None
                    continue
                try:
                    if seen is not None:
                        cell = (raw.__class__, raw)  # 1 and 1.0 and True apart
                        value = seen.get(cell, seen)
                        if value is seen:
                            value = seen[cell] = self._parse(f, parse, raw)
                        record[key] = value
                    else:
                        record[key] = value = parse(raw, unit)
                        self.amounts[key][number] = value
                except ValueError as exc:
                    self.error(number, key, str(exc), raw)
                    record[key] = None
                    bad = True
            if self.columns.flags:
                marked = []
                for i, tier in self.columns.flags.items():
                    raw = cells[i] if i < width else None
                    if is_blank(raw) or _flag(raw) is False:
                        continue
                    if _flag(raw) is None:
                        self.log.error("应为“√”或“是”，不是的留空（或写“否”）", row=number,
                                       column=self.table.header_cells[i], value=_shown(raw),
                                       **self.where)
                        bad = True
                    else:
                        marked.append(tier)
                record["flags"] = tuple(marked)
            yield number, record, bad

    @staticmethod
    def _parse(f, parse, raw):
        if parse is not None:
            return parse(raw)
        text = values.clean_text(raw, fold=False)
        if len(text) > f.limit:
            raise ValueError(f"内容过长（{len(text)}个字符，最多{f.limit}个）")
        return text

    def error(self, row: int, key: str, message: str, raw=None) -> None:
        self.log.error(message, row=row, column=self.header[key], value=_shown(raw), **self.where)

    def warn(self, row: int, key: str, message: str, raw=None) -> None:
        self.log.warn(message, row=row, column=self.header[key],
                      value=None if raw is None else str(raw), **self.where)

    def check_totals(self, key: str) -> None:
        """Each 合计 / 小计 row's amount against the sum of the rows it covers."""
        if key not in self.columns.index:
            return
        i, unit = self.columns.index[key], self.units.get(key) or "元"
        factor = values.UNIT_FACTORS[unit]
        for t in self.table.totals:
            raw = t.cells[i] if i < len(t.cells) else None
            if values.is_blank(raw) or not t.covers:
                continue
            try:
                stated = values.parse_amount(raw, unit)
            except ValueError:
                self.error(t.row, key, f"{t.label}行的金额无法识别", raw)
                continue
            if any(n not in self.amounts[key] for n in t.covers):
                continue  # a row it sums has an error of its own, already reported
            computed = sum((self.amounts[key][n] for n in t.covers), Decimal(0))
            shown = values.clean_text(raw).replace(",", "")
            decimals = len(shown.split(".")[1]) if "." in shown and shown[-1].isdigit() else 0
            allowed = Decimal(5).scaleb(-min(decimals, 6) - 1) * factor + Decimal("1e-6")
            if abs(stated - computed) > allowed:
                extra = "（隐藏行未计入，合计可能包含了它们）" if t.hidden else ""
                self.error(t.row, key, f"“{t.label}”行为 {_in(stated, unit)}，而它汇总的{len(t.covers)}行"
                           f"相加为 {_in(computed, unit)}（相差 {_in(abs(stated - computed), unit)}）："
                           f"合计与明细不符，请核对{extra}", raw)


_YES = {"√", "✓", "✔", "是", "y", "yes", "1", "●", "★", "true", "有", "☑"}
_NO = {"否", "×", "✗", "n", "no", "0", "无", "false", "-", "—", "/"}


def _flag(raw) -> bool | None:
    """A mark in a yes/no column: True, False, or None when it is neither."""
    if isinstance(raw, bool):
        return raw
    text = values.clean_text(raw).lower()
    return True if text in _YES else False if text in _NO else None


def _shown(raw) -> str | None:
    """A cell's value as the message shows it: text as typed (invisible characters too, for
    Problem to make visible), a number as Excel shows it."""
    if raw is None:
        return None
    return (raw.strip() if isinstance(raw, str) else values.clean_text(raw))[:200]


def _in(amount: Decimal, unit: str) -> str:
    value = amount / values.UNIT_FACTORS[unit]
    text = format(value.normalize(), "f") if value == value.to_integral_value() else \
        format(value.quantize(Decimal("0.000001")).normalize(), "f")
    return f"{text}{unit}"


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


def _lookup(table: dict[str, str], what: str, choices: list[str], hint: str = ""):
    """A name that must be one of ``table``'s spellings; the message lists ``choices`` and
    the closest spelling, when one is close."""
    listed = "、".join(choices)

    def parse(raw):
        text = values.clean_text(raw).replace(" ", "")
        if text not in table:
            close = difflib.get_close_matches(text, list(table), n=1, cutoff=0.6)
            guess = f"是不是“{table[close[0]]}”？" if close else ""
            raise ValueError(f"不是已知的{what}（应为 {listed} 之一{hint}）{guess}".rstrip())
        return table[text]
    return parse


def _origin(province: str):
    """投资方所在地: a province, a country or region abroad, or 省内 / 省外 / 境外 words (本省 is
    ``province``); what it is decides where the funds come from, so anything else is an error,
    not 境外."""
    def parse(raw) -> str:
        text = values.clean_text(raw, fold=False)
        folded = values.clean_text(raw).replace(" ", "")
        if REGION_WORDS.get(folded) == "省内" and province:
            return province
        if folded in REGION_WORDS or province_of(folded) or country_of(folded):
            return text
        raise ValueError("不是已知的省份或国家（投资方所在地决定资金算省内、省外还是境外）：请写省份，"
                         "如 江苏 或 江苏省，或国家，如 德国；也可写 省内、省外 或 境外")
    return parse


# the official names of the lists, as staff copy them: 中国企业500强 is 中国500强
TIER_NAMES = {"中国企业500强": "中国500强", "中国民营企业500强": "民营500强", "中央企业": "央企",
              "财富世界500强": "世界500强", "全球独角兽企业500强": "全球独角兽500强",
              "独角兽500强": "全球独角兽500强"}


def _tier(text: str) -> str:
    text = text.replace("五百", "500").replace("《财富》", "")
    text = TIER_NAMES.get(text, text)
    return text.removesuffix("企业") if text.removesuffix("企业") in TIERS else text


def _tiers(raw):
    tiers = tuple(_tier(t) for t in values.split_list(raw))
    for t in tiers:
        if t not in TIERS:
            raise ValueError(f"“{t}”不是已知的企业类别（应为 {'、'.join(TIERS)}，多个用“、”分隔）")
    return tuple(dict.fromkeys(tiers))


def _lost_zeros(pid: str, known: dict) -> str | None:
    """The project id that ``pid`` is with its leading zeros back, if there is one."""
    if not pid.isdigit():
        return None
    widths = {len(k) for k in known if k.isdigit() and len(k) > len(pid)}
    return next((pid.zfill(w) for w in sorted(widths) if pid.zfill(w) in known), None)


def validate(config: Config, tables: dict[str, RawTable], log: ProblemLog,
             today: date | None = None) -> Dataset:
    """Typed rows from raw tables; every problem goes to ``log``. ``today`` (for the
    "date in the future" warnings) defaults to the real date: it only affects warnings."""
    today = today or date.today()
    regions = config.region_lookup()
    region = _lookup(regions, "市州", [r.name for r in config.regions], "，也可写简称或代码")
    industries = {i: i for i in config.industries}
    for i in config.industries:  # 新能源产业 is 新能源
        for suffix in ("产业", "行业"):
            industries.setdefault(i + suffix, i)
    industry = _lookup(industries, "产业", list(config.industries))
    projects, by_id, projects_ok = _projects(tables.get("projects"), config, log, today,
                                             region, industry)
    funds = _funds(tables.get("funds"), config, log, today, by_id) if projects_ok else []
    if "funds" in tables and not projects_ok and "projects" in tables:
        log.note("“签约项目”表有误，未核对到位资金的项目编号", **tables["funds"].where())
    targets = _targets(tables.get("targets"), config, log, regions)
    opportunities = _opportunities(tables["opportunities"], log, region, industry) \
        if "opportunities" in tables else ()
    dataset = Dataset(config, tuple(projects), tuple(funds), tuple(targets), opportunities)
    plausible.check(dataset, tables, log)
    return dataset


def _projects(t, config, log, today, region, industry):
    projects: list[Project] = []
    by_id: dict[str, tuple[Project | None, int]] = {}
    if t is None:
        return projects, by_id, False
    reader = _Reader(t, {"id": _code, "region": region, "industry": industry, "tier": _tiers,
                         "origin": _origin(config.province),
                         "signed_on": values.parse_date, "amount": values.parse_amount,
                         "kind": _choice(KINDS, "建设类型"), "status": _choice(STATUSES, "项目状态")},
                     log)
    if not reader.ok:
        return projects, by_id, False
    for number, r, bad in reader.rows():
        pid = r["id"]
        if pid and pid in by_id:
            reader.error(number, "id", f"项目编号重复（第{by_id[pid][1]}行已使用）", pid)
            continue
        if r["signed_on"] and r["signed_on"] > today:
            reader.warn(number, "signed_on", "签约日期晚于今天，请确认", r["signed_on"].isoformat())
        if bad:
            if pid:
                by_id[pid] = (None, number)  # known id: its funds are not "unknown"
            continue
        p = Project(id=pid, name=r["name"], region=r["region"], industry=r["industry"],
                    investor=r["investor"], signed_on=r["signed_on"], amount=r["amount"],
                    county=r["county"], origin=r["origin"],
                    tiers=tuple(dict.fromkeys((r["tier"] or ()) + r.get("flags", ()))),
                    event=r["event"], kind=r["kind"], status=r["status"], row=number,
                    name_en=r.get("name_en"), investor_en=r.get("investor_en"))
        by_id[pid] = (p, number)
        projects.append(p)
    reader.check_totals("amount")
    return projects, by_id, True


def _funds(t, config, log, today, by_id):
    funds: list[Fund] = []
    if t is None:
        return funds
    def month_cell(raw):
        try:
            return values.parse_month(raw)
        except ValueError:
            if (m := values.bare_month(raw)) is not None:
                return (None, m)  # its year comes from the 年份 column
            raise

    reader = _Reader(t, {"project_id": _code, "month": month_cell, "year": values.parse_year,
                         "amount": values.parse_amount, "source": _choice(SOURCES, "资金来源")}, log)
    if not reader.ok:
        return funds
    seen: dict[tuple, int] = {}
    cumulative: dict[str, Decimal] = defaultdict(Decimal)
    last_row: dict[str, int] = {}
    zeros: list[tuple[int, str, str]] = []  # (row, id as read, the project's id)
    derived: dict[str | None, str | None] = {}  # origin → 资金来源
    unknown: list[tuple[int, Decimal]] = []  # rows whose 资金来源 cannot be known
    for number, r, bad in reader.rows():
        pid = r["project_id"]
        if pid and pid not in by_id:
            fixed = _lost_zeros(pid, by_id)
            if fixed:
                zeros.append((number, pid, fixed))
            else:
                reader.error(number, "project_id", "在“签约项目”表中找不到这个项目编号", pid)
            continue
        if bad:
            continue
        project = by_id[pid][0]
        year, month = r["month"]
        if year is None and r["year"] is None:
            reader.error(number, "month", "月份没有年份：请写作如 2026-10，或加一列“年份”",
                         _shown(month))
            continue
        if year is None:
            year = r["year"]
        elif r["year"] is not None and r["year"] != year:
            reader.error(number, "month", f"月份（{year}年{month}月）与“年份”列（{r['year']}）不一致",
                         f"{year}-{month:02d}")
            continue
        if project is None:
            continue  # the project row itself had errors, already reported
        if (year, month) < (project.signed_on.year, project.signed_on.month):
            reader.error(number, "month", f"到位资金月份早于项目签约日期（{project.signed_on.year}年"
                         f"{project.signed_on.month}月{project.signed_on.day}日）",
                         f"{year}-{month:02d}")
            continue
        if (year, month) > (today.year, today.month):
            reader.warn(number, "month", "月份晚于本月，请确认", f"{year}-{month:02d}")
        source = r["source"] or derived.get(project.origin) or \
            derived.setdefault(project.origin, _derive_source(project.origin, config))
        key = (pid, year, month, r["source"])
        if key in seen:
            reader.error(number, "month", f"同一项目同一月份的到位资金重复（第{seen[key]}行）",
                         f"{year}-{month:02d}")
            continue
        seen[key] = number
        if source is None:
            unknown.append((number, r["amount"]))
        cumulative[pid] += r["amount"]
        last_row[pid] = number
        funds.append(Fund(pid, year, month, r["amount"], source))
    if unknown:
        total = sum((a for _, a in unknown), Decimal(0))
        reader.warn(unknown[0][0], "source", f"{len(unknown)}行到位资金（共{total / 10000:.2f}万元）无法确定"
                    "资金来源：“资金来源”为空，项目的“投资方所在地”也为空，这些资金不计入省外到位资金。"
                    f"请填写其中之一（{row_list(n for n, _ in unknown)}）")
    if zeros:  # one cause: one error, however many rows
        row, pid, fixed = zeros[0]
        reader.error(row, "project_id", f"{len(zeros)}行的项目编号在“签约项目”表中找不到，但补上前导零就有"
                     f"（如第{row}行的“{pid}”是“{fixed}”）：Excel 可能去掉了前导零（把编号当作了数字）。请把这一列"
                     f"设为文本格式后重新输入编号（{row_list(n for n, _, _ in zeros)}）")
    for pid, total in cumulative.items():
        project = by_id[pid][0]
        if total > project.amount:
            reader.warn(last_row[pid], "amount", f"项目{pid}累计到位资金（{total / 10000:.2f}万元）"
                        f"超过签约金额（{project.amount / 10000:.2f}万元），请确认", None)
    reader.check_totals("amount")
    return funds


def _targets(t, config, log, regions):
    targets: list[Target] = []
    if t is None:
        return targets
    scopes = dict(regions)
    for name in (PROVINCE_SCOPE, config.province, config.province_short):
        if name:
            scopes[name] = PROVINCE_SCOPE
    reader = _Reader(t, {"year": values.parse_year,
                         "scope": _lookup(scopes, "范围", [PROVINCE_SCOPE] +
                                          [r.name for r in config.regions]),
                         "indicator": _choice(INDICATORS, "指标"), "target": lambda raw, unit: raw},
                     log)
    if not reader.ok:
        return targets
    seen: dict[tuple, int] = {}
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
        if key in seen:
            reader.error(number, "indicator", f"同一年度、范围、指标的目标重复（第{seen[key]}行）",
                         r["indicator"])
            continue
        seen[key] = number
        targets.append(Target(r["year"], r["scope"], r["indicator"], value))
    return targets


def _opportunities(table: RawTable, log: ProblemLog, region, industry):
    """招商项目: the projects the bureau offers to investors (delegation handouts)."""
    reader = _Reader(table, {"region": region, "industry": industry,
                             "investment": values.parse_amount}, log)
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
        for key, english in (("intro", False), ("intro_en", True)):
            for problem in descriptions.check(r.get(key), english, r.get("investment")):
                reader.error(number, key, problem)
        found.append(Opportunity(row=number, **r))
    return tuple(found)


def _derive_source(origin: str | None, config: Config) -> str | None:
    if not origin:
        return None
    folded = values.clean_text(origin).replace(" ", "")
    if folded in REGION_WORDS:
        return REGION_WORDS[folded]
    province = province_of(folded)
    if province is None or province in OVERSEAS_DOMESTIC:
        return "境外"
    return "省内" if province == config.province else "省外"


def load_dataset(folder: Path, today: date | None = None, extra: tuple[str, ...] = (),
                 assets: bool = True) -> Dataset:
    """load → validate for a data folder. Raises ConfigError / DataError (with every problem).
    ``extra``: optional tables to read besides the briefing's three (``opportunities``);
    ``assets``: see load_config."""
    folder = Path(folder)
    config = load_config(folder, assets)
    log = ProblemLog(list(config.warnings))
    tables, sources = load_tables(folder, log, REQUIRED_TABLES + tuple(extra), config)
    dataset = validate(config, tables, log, today=today)
    log.raise_if_errors()
    dataset.sources = sources
    dataset.warnings = log.warnings
    dataset.notes = log.notes
    dataset.table_files = {k: (t.file, t.sheet) for k, t in tables.items()}
    return dataset


__all__ = ["load_dataset", "validate", "TABLES"]
