"""Every figure of a monthly briefing, computed from a validated ``Dataset`` for a period.

Plain data only: ``Decimal`` amounts in 元, ratios as unrounded ``Decimal`` (0.556 = 55.6%),
counts as ``int``, ``None`` where a figure does not exist (no target, nothing last year).
Nothing is rounded or turned into text here; fmt.py does that once, at display.

The period ``YYYY-MM`` covers 1–M月 of the year cumulatively (累计) and the month itself (当月);
year-on-year (同比) compares with 1–M月 of the previous year.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterable

from ..data.model import PROVINCE_SCOPE, TIERS, TOP500_TIERS, Dataset, Project
from ..data.places import place_name
from .period import Period  # noqa: F401 (re-export: Period is used everywhere)

ZERO = Decimal(0)


def ratio(part, whole) -> Decimal | None:
    """part / whole, or None when the whole is missing or zero (a ratio that does not exist)."""
    if part is None or not whole:
        return None
    return Decimal(part) / Decimal(whole)


def growth(now, before) -> Decimal | None:
    """Year-on-year growth as a ratio (0.55 = 增长55%); None when there is nothing to compare."""
    if now is None or not before:
        return None
    return (Decimal(now) - Decimal(before)) / Decimal(before)


@dataclass(frozen=True)
class Metric:
    """A figure with what it is compared with: the same period last year and a target."""

    value: Decimal
    previous: Decimal | None = None
    target: Decimal | None = None

    @property
    def growth(self) -> Decimal | None:
        return growth(self.value, self.previous)

    @property
    def completion(self) -> Decimal | None:
        return ratio(self.value, self.target)


@dataclass(frozen=True)
class RegionRow:
    name: str
    short: str
    projects: int
    signed: Metric
    funds: Metric
    rank_signed: int | None = None
    rank_funds: int | None = None
    rank_growth: int | None = None  # by growth of the signed amount


@dataclass(frozen=True)
class IndustryRow:
    name: str
    projects: int
    signed: Decimal
    funds: Decimal
    share_signed: Decimal | None
    share_funds: Decimal | None
    previous_signed: Decimal = ZERO

    @property
    def growth(self) -> Decimal | None:
        return growth(self.signed, self.previous_signed)


@dataclass(frozen=True)
class TierRow:
    tier: str
    projects: int
    enterprises: int
    amount: Decimal


@dataclass(frozen=True)
class GroupRow:
    name: str
    projects: int
    amount: Decimal


@dataclass(frozen=True)
class EventRow:
    name: str
    series: str | None  # 青洽会 in 第24届青洽会
    edition: int | None
    projects: int
    amount: Decimal
    previous_name: str | None = None
    previous_projects: int | None = None
    previous_amount: Decimal | None = None
    record_projects: bool = False  # 创历届之最: highest of all editions on record
    record_amount: bool = False

    @property
    def growth_projects(self) -> Decimal | None:
        return growth(self.projects, self.previous_projects)

    @property
    def growth_amount(self) -> Decimal | None:
        return growth(self.amount, self.previous_amount)


@dataclass(frozen=True)
class KindRow:
    kind: str
    projects: int
    funds: Decimal


@dataclass(frozen=True)
class TrendRow:
    month: int
    this_year: Decimal | None  # None for months after the period
    last_year: Decimal | None  # None when the previous year has no funds on record


@dataclass(frozen=True)
class LedgerRow:
    project: Project
    kind: str
    funds_period: Decimal  # funds of this project within 1–M月
    funds_total: Decimal  # all funds up to the end of the period


@dataclass(frozen=True)
class Check:
    """勾稽: parts must add up to the total exactly (on unrounded values)."""

    name: str
    total: Decimal
    parts_sum: Decimal

    @property
    def ok(self) -> bool:
        return self.total == self.parts_sum


@dataclass
class Figures:
    period: Period
    province: str
    signed_projects: Metric
    signed: Metric
    month_projects: int
    month_signed: Decimal
    funds: Metric
    funds_outside: Metric  # 省外到位资金 (省外 + 境外 sources)
    funds_foreign: Decimal  # of which 境外
    funds_unknown_source: Decimal
    funds_month: Metric  # this month against the same month last year
    kinds: list[KindRow]
    regions: list[RegionRow]
    industries: list[IndustryRow]
    tiers: list[TierRow]
    top500: GroupRow  # 三类500强 together (a project counted once)
    origins: list[GroupRow]
    events: list[EventRow]
    top_projects: list[Project]
    trend: list[TrendRow]
    ledger: list[LedgerRow]
    checks: list[Check] = field(default_factory=list)

    @property
    def funds_outside_share(self) -> Decimal | None:
        return ratio(self.funds_outside.value, self.funds.value)

    @property
    def signed_average(self) -> Decimal | None:
        return ratio(self.signed.value, self.signed_projects.value)


_EDITION = re.compile(r"^第(\d+)届(.+)$")


def _edition(event: str) -> tuple[str | None, int | None]:
    m = _EDITION.match(event)
    return (m.group(2), int(m.group(1))) if m else (None, None)


def _rank(rows: list, key) -> dict[str, int]:
    """Competition ranking (1, 2, 2, 4) of rows by key, descending; rows with None unranked."""
    scored = [(key(r), r.name) for r in rows if key(r) is not None]
    scored.sort(key=lambda x: -x[0])
    ranks, last, last_rank = {}, None, 0
    for i, (score, name) in enumerate(scored, 1):
        if score != last:
            last, last_rank = score, i
        ranks[name] = last_rank
    return ranks


def _sum(values: Iterable[Decimal]) -> Decimal:
    return sum(values, ZERO)


def compute(ds: Dataset, period: Period) -> Figures:
    cfg = ds.config
    year, month = period.year, period.month
    prev = period.previous_year

    def signed_in(p: Period):
        return [x for x in ds.projects if p.contains(x.signed_on.year, x.signed_on.month)]

    now_projects = signed_in(period)
    before_projects = signed_in(prev)
    month_projects = [p for p in now_projects if p.signed_on.month == month]

    funds_now = [f for f in ds.funds if period.contains(f.year, f.month)]
    funds_before = [f for f in ds.funds if prev.contains(f.year, f.month)]
    by_id = {p.id: p for p in ds.projects}

    targets = {(t.year, t.scope, t.indicator): t.value for t in ds.targets}

    def target(scope: str, indicator: str) -> Decimal | None:
        return targets.get((year, scope, indicator))

    def outside(fs):
        return _sum(f.amount for f in fs if f.source in ("省外", "境外"))

    signed_projects = Metric(Decimal(len(now_projects)), Decimal(len(before_projects)),
                             target(PROVINCE_SCOPE, "签约项目数"))
    signed = Metric(_sum(p.amount for p in now_projects), _sum(p.amount for p in before_projects),
                    target(PROVINCE_SCOPE, "签约金额"))
    funds = Metric(_sum(f.amount for f in funds_now), _sum(f.amount for f in funds_before),
                   target(PROVINCE_SCOPE, "到位资金"))
    funds_outside = Metric(outside(funds_now), outside(funds_before),
                           target(PROVINCE_SCOPE, "省外到位资金"))
    funds_month = Metric(_sum(f.amount for f in funds_now if f.month == month),
                         _sum(f.amount for f in funds_before if f.month == month))

    # 新建 / 续建: projects with funds in the period, and those funds
    kind_funds: dict[str, Decimal] = defaultdict(Decimal)
    kind_ids: dict[str, set] = defaultdict(set)
    for f in funds_now:
        kind = by_id[f.project_id].kind_in(year)
        kind_funds[kind] += f.amount
        kind_ids[kind].add(f.project_id)
    kinds = [KindRow(k, len(kind_ids[k]), kind_funds[k]) for k in ("新建", "续建")]

    # 市州
    reg_signed_now: dict[str, Decimal] = defaultdict(Decimal)
    reg_signed_before: dict[str, Decimal] = defaultdict(Decimal)
    reg_count: dict[str, int] = defaultdict(int)
    reg_funds_now: dict[str, Decimal] = defaultdict(Decimal)
    reg_funds_before: dict[str, Decimal] = defaultdict(Decimal)
    for p in now_projects:
        reg_signed_now[p.region] += p.amount
        reg_count[p.region] += 1
    for p in before_projects:
        reg_signed_before[p.region] += p.amount
    for f in funds_now:
        reg_funds_now[by_id[f.project_id].region] += f.amount
    for f in funds_before:
        reg_funds_before[by_id[f.project_id].region] += f.amount
    regions = [
        RegionRow(r.name, r.short, reg_count[r.name],
                  Metric(reg_signed_now[r.name], reg_signed_before[r.name],
                         target(r.name, "签约金额")),
                  Metric(reg_funds_now[r.name], reg_funds_before[r.name],
                         target(r.name, "到位资金")))
        for r in cfg.regions
    ]
    by_signed = _rank(regions, lambda r: r.signed.value)
    by_funds = _rank(regions, lambda r: r.funds.value)
    by_growth = _rank(regions, lambda r: r.signed.growth)
    regions = [RegionRow(r.name, r.short, r.projects, r.signed, r.funds, by_signed.get(r.name),
                         by_funds.get(r.name), by_growth.get(r.name)) for r in regions]

    # 产业
    ind_signed: dict[str, Decimal] = defaultdict(Decimal)
    ind_before: dict[str, Decimal] = defaultdict(Decimal)
    ind_count: dict[str, int] = defaultdict(int)
    ind_funds: dict[str, Decimal] = defaultdict(Decimal)
    for p in now_projects:
        ind_signed[p.industry] += p.amount
        ind_count[p.industry] += 1
    for p in before_projects:
        ind_before[p.industry] += p.amount
    for f in funds_now:
        ind_funds[by_id[f.project_id].industry] += f.amount
    industries = [
        IndustryRow(name, ind_count[name], ind_signed[name], ind_funds[name],
                    ratio(ind_signed[name], signed.value), ratio(ind_funds[name], funds.value),
                    ind_before[name])
        for name in cfg.industries
    ]
    industries.sort(key=lambda r: -r.signed)  # stable: config order breaks ties

    # 三类500强, 独角兽, 央企
    tiers = []
    for tier in TIERS:
        ps = [p for p in now_projects if tier in p.tiers]
        tiers.append(TierRow(tier, len(ps), len({p.investor for p in ps}),
                             _sum(p.amount for p in ps)))
    top500_projects = [p for p in now_projects if set(p.tiers) & set(TOP500_TIERS)]
    top500 = GroupRow("三类500强", len(top500_projects), _sum(p.amount for p in top500_projects))

    # 投资方所在地
    org_count: dict[str, int] = defaultdict(int)
    org_amount: dict[str, Decimal] = defaultdict(Decimal)
    for p in now_projects:
        key = place_name(p.origin) if p.origin else "未注明"
        org_count[key] += 1
        org_amount[key] += p.amount
    origins = sorted((GroupRow(k, org_count[k], org_amount[k]) for k in org_count),
                     key=lambda r: (-r.amount, r.name))

    # editions up to the end of the period only: a briefing says what was known then (a later
    # edition entered since must not change whether this one 创历届之最)
    events = _events(tuple(x for x in ds.projects
                           if (x.signed_on.year, x.signed_on.month) <= (year, month)), now_projects)

    top_n = cfg.display.top_projects
    top_projects = sorted(now_projects, key=lambda p: (-p.amount, p.signed_on, p.id))[:top_n]

    month_funds: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for f in ds.funds:
        if f.year in (year, year - 1):
            month_funds[(f.year, f.month)] += f.amount
    # a year with no funds on record at all has no figures (—), not twelve zeros
    last_on_record = any(f.year == year - 1 for f in ds.funds)
    trend = [TrendRow(m, month_funds[(year, m)] if m <= month else None,
                      month_funds[(year - 1, m)] if last_on_record else None)
             for m in range(1, 13)]

    period_funds: dict[str, Decimal] = defaultdict(Decimal)
    total_funds: dict[str, Decimal] = defaultdict(Decimal)
    for f in funds_now:
        period_funds[f.project_id] += f.amount
    for f in ds.funds:
        if (f.year, f.month) <= (year, month):
            total_funds[f.project_id] += f.amount
    ledger = [LedgerRow(p, p.kind_in(year), period_funds[p.id], total_funds[p.id])
              for p in sorted(now_projects, key=lambda p: (p.signed_on, p.id))]

    fig = Figures(
        period=period, province=cfg.province, signed_projects=signed_projects, signed=signed,
        month_projects=len(month_projects), month_signed=_sum(p.amount for p in month_projects),
        funds=funds, funds_outside=funds_outside,
        funds_foreign=_sum(f.amount for f in funds_now if f.source == "境外"),
        funds_unknown_source=_sum(f.amount for f in funds_now if f.source is None),
        funds_month=funds_month, kinds=kinds, regions=regions, industries=industries,
        tiers=tiers, top500=top500, origins=origins, events=events, top_projects=top_projects,
        trend=trend, ledger=ledger)
    fig.checks = [
        Check("市州签约金额", signed.value, _sum(r.signed.value for r in regions)),
        Check("市州到位资金", funds.value, _sum(r.funds.value for r in regions)),
        Check("市州签约项目数", signed_projects.value, Decimal(sum(r.projects for r in regions))),
        Check("产业签约金额", signed.value, _sum(r.signed for r in industries)),
        Check("产业到位资金", funds.value, _sum(r.funds for r in industries)),
        Check("新建续建到位资金", funds.value, _sum(k.funds for k in kinds)),
        Check("来源地签约金额", signed.value, _sum(o.amount for o in origins)),
        Check("附表签约金额", signed.value, _sum(r.project.amount for r in ledger)),
        Check("月度到位资金", funds.value, _sum(t.this_year or ZERO for t in trend)),
    ]
    return fig


def _events(all_projects: tuple[Project, ...], now_projects: list[Project]) -> list[EventRow]:
    """Each 签约活动 held in the period, compared with the previous edition of its series."""
    count: dict[str, int] = defaultdict(int)
    amount: dict[str, Decimal] = defaultdict(Decimal)
    for p in all_projects:
        if p.event:
            count[p.event] += 1
            amount[p.event] += p.amount
    current = list(dict.fromkeys(p.event for p in sorted(now_projects, key=lambda p: p.signed_on)
                                 if p.event))
    series: dict[str, dict[int, str]] = defaultdict(dict)
    for name in count:
        s, n = _edition(name)
        if s:
            series[s][n] = name
    rows = []
    for name in current:
        s, n = _edition(name)
        prev_name = None
        record_p = record_a = False
        if s and n - 1 in series[s]:
            # 比上届: the edition before, only (with 第24届 missing, 第23届 is not 上届); 创历届之最
            # only over an unbroken run of editions on record
            prev_name = series[s][n - 1]
            earlier = [e for e in series[s] if e < n]
            if len(earlier) == n - min(earlier):
                others = [series[s][e] for e in earlier]
                record_p = all(count[name] > count[o] for o in others)
                record_a = all(amount[name] > amount[o] for o in others)
        rows.append(EventRow(
            name, s, n, count[name], amount[name], prev_name,
            count[prev_name] if prev_name else None, amount[prev_name] if prev_name else None,
            record_p, record_a))
    return rows


# -- delegation handouts -----------------------------------------------------------------------
@dataclass(frozen=True)
class Portfolio:
    """Projects signed up to the end of a period (those of an industry, or those of investors
    from one place), with their signed amount and the funds that arrived."""

    projects: list[Project]  # largest first
    signed: Decimal
    funds: Decimal
    first_year: int | None  # the earliest signing year on record


def _portfolio(ds: Dataset, period: Period, keep) -> Portfolio:
    end = (period.year, period.month)
    chosen = [p for p in ds.projects if (p.signed_on.year, p.signed_on.month) <= end and keep(p)]
    ids = {p.id for p in chosen}
    funds = _sum(f.amount for f in ds.funds if f.project_id in ids and (f.year, f.month) <= end)
    chosen.sort(key=lambda p: (-p.amount, p.signed_on, p.id))
    return Portfolio(chosen, _sum(p.amount for p in chosen), funds,
                     min((p.signed_on.year for p in chosen), default=None))


def same_place(origin: str | None, home: str) -> bool:
    """Whether an investor from ``origin`` (江苏省苏州市, 江苏, 德国) comes from ``home``
    (a province — full or short name — or a country)."""
    from ..data.places import province_of

    if not origin:
        return False
    home_province = province_of(home)
    if home_province is not None:
        return province_of(origin) == home_province
    return origin == home or origin.startswith(home)


def home_portfolio(ds: Dataset, period: Period, home: str) -> Portfolio:
    """Projects invested by enterprises from ``home`` (江苏企业在青投资项目)."""
    return _portfolio(ds, period, lambda p: same_place(p.origin, home))


def industry_portfolio(ds: Dataset, period: Period, industry: str) -> Portfolio:
    return _portfolio(ds, period, lambda p: p.industry == industry)
