"""Figures for the small hand-computed fixture (conftest.py), period 2025-03, value by value;
and properties that hold for any data: parts add up to totals."""

from datetime import date
from decimal import Decimal as D

import pytest
from conftest import TODAY
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reports.data.config import Config, Display, Region
from reports.data.model import Dataset, Fund, Project, Target
from reports.data.validate import load_dataset
from reports.figures.compute import Period, compute
from reports.figures.fmt import Formatter

WAN = D(10_000)
YI = D(100_000_000)


@pytest.fixture
def fig(small_data):
    return compute(load_dataset(small_data, today=TODAY), Period(2025, 3))


def test_signed(fig):
    # P3 30000 + P4 2500 + P5 12345.67 (万元); last year 1-3月: P1 10000 + P7 8000
    assert fig.signed_projects.value == 3 and fig.signed_projects.previous == 2
    assert fig.signed.value == D("44845.67") * WAN
    assert fig.signed.previous == 18000 * WAN
    assert fig.signed.growth == D("44845.67") / 18000 - 1
    assert fig.signed.target == 10 * YI
    assert fig.signed.completion == D("0.4484567")
    assert fig.signed_projects.completion == D(3) / 6
    assert fig.month_projects == 2 and fig.month_signed == D("14845.67") * WAN


def test_funds(fig):
    assert fig.funds.value == 5100 * WAN and fig.funds.previous == 800 * WAN
    assert fig.funds.growth == D("5.375")
    assert fig.funds.completion == D("0.255")
    assert fig.funds_outside.value == 4200 * WAN  # P1 1000 省外 + P3 3000 省外 + P4 200 境外
    assert fig.funds_outside.completion == D(4200) * WAN / (D("1.5") * YI)
    assert fig.funds_outside_share == D(4200) / 5100
    assert fig.funds_foreign == 200 * WAN
    assert fig.funds_month.value == 3600 * WAN and fig.funds_month.previous == 0
    assert fig.funds_month.growth is None  # nothing last March: no growth, printed as —


def test_kinds(fig):
    new, cont = fig.kinds
    assert (new.kind, new.projects, new.funds) == ("新建", 2, 3200 * WAN)   # P3, P4
    assert (cont.kind, cont.projects, cont.funds) == ("续建", 3, 1900 * WAN)  # P1, P2, P7


def test_regions(fig):
    r = {x.short: x for x in fig.regions}
    assert [x.short for x in fig.regions] == ["西宁", "海东", "海西州"]  # config order
    assert (r["西宁"].projects, r["西宁"].signed.value, r["西宁"].signed.previous) == \
        (1, 30000 * WAN, 10000 * WAN)
    assert r["西宁"].signed.growth == 2 and r["西宁"].signed.completion == D("0.6")
    assert r["西宁"].funds.value == 4000 * WAN and r["西宁"].funds.growth is None
    assert r["海东"].signed.value == D("12345.67") * WAN and r["海东"].signed.growth is None
    assert r["海西州"].signed.growth == D("-0.6875")
    assert r["海西州"].funds.value == 600 * WAN and r["海西州"].funds.growth == D("-0.25")
    assert r["海西州"].funds.completion == D("0.12")
    assert r["海东"].signed.target is None and r["海东"].signed.completion is None
    assert (r["西宁"].rank_signed, r["海东"].rank_signed, r["海西州"].rank_signed) == (1, 2, 3)
    assert (r["西宁"].rank_growth, r["海东"].rank_growth, r["海西州"].rank_growth) == (1, None, 2)
    assert (r["西宁"].rank_funds, r["海东"].rank_funds, r["海西州"].rank_funds) == (1, 3, 2)


def test_industries(fig):
    i = {x.name: x for x in fig.industries}
    assert [x.name for x in fig.industries] == ["新能源", "新材料", "生态旅游"]  # by amount
    assert (i["新能源"].projects, i["新能源"].signed, i["新能源"].funds) == (1, 30000 * WAN, 4400 * WAN)
    assert i["新材料"].funds == 500 * WAN and i["生态旅游"].funds == 200 * WAN
    assert i["新能源"].share_signed == D(30000) / D("44845.67")
    assert i["新能源"].previous_signed == 18000 * WAN


def test_tiers_origins_events(fig):
    t = {x.tier: x for x in fig.tiers}
    assert t["世界500强"].projects == 0  # P1 was signed in 2024
    assert (t["中国500强"].projects, t["中国500强"].enterprises, t["中国500强"].amount) == \
        (1, 1, 30000 * WAN)
    assert t["央企"].projects == 1 and t["民营500强"].amount == 2500 * WAN
    assert (fig.top500.projects, fig.top500.amount) == (2, 32500 * WAN)
    assert [(o.name, o.projects) for o in fig.origins] == [("江苏省", 1), ("浙江省", 1), ("德国", 1)]
    [e] = fig.events
    assert (e.name, e.series, e.edition, e.projects, e.amount) == \
        ("第24届青洽会", "青洽会", 24, 2, 32500 * WAN)
    assert (e.previous_name, e.previous_projects, e.previous_amount) == ("第23届青洽会", 1, 10000 * WAN)
    assert e.growth_projects == 1 and e.growth_amount == D("2.25")
    assert e.record_projects and e.record_amount


def test_top_trend_ledger_checks(fig):
    assert [p.id for p in fig.top_projects] == ["P3", "P5", "P4"]
    assert [t.this_year for t in fig.trend[:4]] == [1000 * WAN, 500 * WAN, 3600 * WAN, None]
    assert [t.last_year for t in fig.trend[:4]] == [0, 800 * WAN, 0, 2000 * WAN]
    assert [r.project.id for r in fig.ledger] == ["P3", "P4", "P5"]
    assert fig.ledger[0].funds_period == 3000 * WAN and fig.ledger[0].kind == "新建"
    assert all(c.ok for c in fig.checks), [c for c in fig.checks if not c.ok]


def test_overview_prose(small_data):
    from reports.typeset.templating import environment, render_text
    ds = load_dataset(small_data, today=TODAY)
    f = compute(ds, Period(2025, 3))
    env = environment(Formatter.from_config(ds.config.display))
    text = render_text(env, "text/figures.j2", f=f, cfg=ds.config)
    assert "1-3月，全省新签约招商引资项目3个，签约金额4.48亿元，同比增长149.1%，" \
           "完成年度目标任务10亿元的44.8%；到位资金5100万元，同比增长537.5%，完成年度目标任务的25.5%，" \
           "其中省外到位资金4200万元，占82.4%，完成年度目标任务的28%。" in text
    assert "3月当月，新签约项目2个，签约金额1.48亿元；到位资金3600万元。" in text
    assert "第24届青洽会共签约项目2个，签约金额3.25亿元，签约项目数量、签约金额比上届分别增长100%和" \
           "225%，均创历届之最。" in text
    assert "None" not in text and "nan" not in text


def test_period_parse():
    assert Period.parse("2026-10") == Period(2026, 10)
    for bad in ("2026-13", "2026/10", "26-10", ""):
        with pytest.raises(ValueError, match="应为 YYYY-MM"):
            Period.parse(bad)


# -- properties ---------------------------------------------------------------------------
REGIONS = (Region("西宁市", "西宁"), Region("海东市", "海东"), Region("海西蒙古族藏族自治州", "海西州"))
INDUSTRIES = ("新能源", "新材料", "生态旅游")
CFG = Config(path=None, province="青海省", province_short="青海", regions=REGIONS,
             industries=INDUSTRIES, briefing_name="x", publisher="y", file_name="z",
             display=Display())

amounts = st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False,
                      allow_infinity=False)
project = st.builds(
    lambda i, r, ind, d, a: Project(f"P{i}", "项目", r.name, ind, "投资方", d, a),
    st.integers(), st.sampled_from(REGIONS), st.sampled_from(INDUSTRIES),
    st.dates(date(2024, 1, 1), date(2025, 12, 28)), amounts)


@st.composite
def datasets(draw):
    projects = draw(st.lists(project, max_size=30, unique_by=lambda p: p.id))
    funds = []
    for p in projects:
        for m in draw(st.sets(st.integers(0, 14), max_size=4)):
            y, mo = divmod(p.signed_on.month - 1 + m, 12)
            year = p.signed_on.year + y
            if year <= 2025:
                funds.append(Fund(p.id, year, mo + 1, draw(amounts),
                                  draw(st.sampled_from(["省外", "省内", "境外", None]))))
    return Dataset(CFG, tuple(projects), tuple(funds), (Target(2025, "全省", "签约金额", D(10**9)),))


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(datasets(), st.integers(1, 12))
def test_parts_always_add_up(ds, month):
    f = compute(ds, Period(2025, month))
    assert all(c.ok for c in f.checks), [c for c in f.checks if not c.ok]
    assert sum(r.signed.value for r in f.regions) == f.signed.value
    assert sum(r.funds.value for r in f.regions) == f.funds.value
    assert sum(r.signed for r in f.industries) == f.signed.value
    assert sum(r.projects for r in f.industries) == f.signed_projects.value
    assert f.funds_outside.value <= f.funds.value
    shares = [r.share_signed for r in f.industries if r.share_signed is not None]
    if shares:
        assert abs(sum(shares) - 1) < D("1e-20")
    fmt = Formatter()
    for r in f.regions:  # formatting any computed figure never raises
        fmt.amount(r.signed.value), fmt.growth(r.signed.growth), fmt.ordinal(r.rank_growth)
