"""The period's input tables as CSV (UTF-8 with BOM, so Excel opens them), for attaching to
the archived PDF: a reader can check any figure against its source rows."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import TYPE_CHECKING

from .model import PROVINCE_SCOPE, Dataset

if TYPE_CHECKING:  # for the annotation only: data does not depend on figures
    from ..figures.compute import Period

WAN = Decimal(10_000)


def _wan(yuan: Decimal) -> str:
    text = format(yuan / WAN, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    """A text cell that a spreadsheet would run as a formula (``=HYPERLINK(…)`` typed as a
    project name) gets a leading apostrophe — Excel's mark for "text" — so opening the
    attachment runs nothing; the loader drops that apostrophe again (values.clean_text)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _csv(rows) -> bytes:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(rows[0])
    writer.writerows([_cell(c) for c in row] for row in rows[1:])
    return buf.getvalue().encode("utf-8-sig")


def tables(ds: Dataset, period: Period, scope: str = PROVINCE_SCOPE,
           config: bytes | None = None) -> list[tuple[str, bytes, str]]:
    """(file name, bytes, description): every row the period's briefing depends on — the
    projects signed up to the end of the period (earlier ones too: their funds of this year
    and last count, as do the editions of a fair), their funds up to then, the targets up to
    that year — for the province, or one 市州 (``scope``), and ``config`` (config.toml as it
    was). Loaded back (``report figures --data <folder> --job <job>``) they give the same
    figures; the archive attaches them to each issued briefing."""
    end = (period.year, period.month)
    projects = [p for p in ds.projects if (p.signed_on.year, p.signed_on.month) <= end
                and (scope == PROVINCE_SCOPE or p.region == scope)]
    ids = {p.id for p in projects}
    funds = [f for f in ds.funds if (f.year, f.month) <= end and f.project_id in ids]
    targets = [t for t in ds.targets if t.year <= period.year
               and (scope == PROVINCE_SCOPE or t.scope == scope)]
    p_rows = [["项目编号", "项目名称", "市州", "县区", "产业", "投资方", "投资方所在地", "企业类别",
               "签约日期", "签约活动", "签约金额（万元）", "建设类型", "项目状态"]]
    for p in projects:
        p_rows.append([p.id, p.name, p.region, p.county or "", p.industry, p.investor,
                       p.origin or "", "、".join(p.tiers), p.signed_on.isoformat(),
                       p.event or "", _wan(p.amount), p.kind or "", p.status or ""])
    f_rows = [["项目编号", "月份", "到位资金（万元）", "资金来源"]]
    f_rows += [[f.project_id, f"{f.year}-{f.month:02d}", _wan(f.amount), f.source or ""]
               for f in funds]
    t_rows = [["年度", "范围", "指标", "目标（万元）"]]  # 签约项目数 is a count, unit aside
    t_rows += [[t.year, t.scope, t.indicator,
                str(t.value) if t.indicator == "签约项目数" else _wan(t.value)]
               for t in targets]
    span = f"截至{period.year}年{period.month}月"
    out = [
        # ASCII names (the tables' English keys, which the loader also reads): WeasyPrint
        # writes attachment names as raw bytes, which readers decode inconsistently.
        ("projects.csv", _csv(p_rows), f"签约项目（{span}），本简报数据来源"),
        ("funds.csv", _csv(f_rows), f"到位资金（{span}），本简报数据来源"),
        ("targets.csv", _csv(t_rows), f"年度目标（截至{period.year}年），本简报数据来源"),
    ]
    if config is not None:
        out.append(("config.toml", config, "生成本简报时的 config.toml"))
    return out
