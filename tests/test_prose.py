"""Every sentence as a Chinese editor writes it: two comparisons as 分别增长a和b, ties as 持平 or
并列, no 增速第一 for a decline, no sentences of zeros, 上届 only for the edition just before,
one name per place, whole numbers without decimals and others with all of theirs."""

from __future__ import annotations

import html
from decimal import Decimal as D
from types import SimpleNamespace as NS

import pytest
from conftest import SMALL_PROJECTS, TODAY, write_dataset

from reports.data.validate import load_dataset
from reports.figures.compute import Metric, Period, compute
from reports.figures.fmt import Formatter
from reports.products.jobs import formal_name
from reports.data.config import Region
from reports.typeset.templating import environment

YI = D(100_000_000)
WAN = D(10_000)


@pytest.fixture(scope="module")
def prose():
    env = environment(Formatter())
    return env.get_template("prose.j2").module


def say(markup) -> str:
    return html.unescape(str(markup))


def event(projects, amount, before_projects, before_amount, **kw):
    from reports.figures.compute import EventRow

    return EventRow("第25届青洽会", "青洽会", 25, projects, amount * YI, "第24届青洽会",
                    before_projects, before_amount * YI, **kw)


# -- 比上届 ------------------------------------------------------------------------------------
def test_two_increases_are_one_verb(prose):
    assert say(prose.event(event(41, D("695.19"), 26, D("360.8")))) == \
        "第25届青洽会共签约项目41个，签约金额695.19亿元，签约项目数量、签约金额比上届分别增长57.7%和92.7%。"


def test_equal_increases_and_ties(prose):
    assert say(prose.event(event(30, D(300), 20, D(200)))).endswith(
        "签约项目数量、签约金额比上届均增长50%。")
    assert say(prose.event(event(20, D(200), 20, D(200)))).endswith(
        "签约项目数量、签约金额均与上届持平。")
    assert say(prose.event(event(20, D(300), 20, D(200)))).endswith(
        "签约项目数量与上届持平，签约金额增长50%。")


def test_mixed_directions_are_told_apart(prose):
    assert say(prose.event(event(30, D(150), 20, D(200)))).endswith(
        "签约项目数量比上届增长50%，签约金额下降25%。")
    assert say(prose.event(event(10, D(100), 20, D(200)))).endswith(
        "签约项目数量、签约金额比上届均下降50%。")


def test_missing_edition_is_not_the_previous_one(tmp_path):
    """第25届 held, 第24届 not on record, 第23届 is: no 比上届, no 创历届之最."""
    rows = [list(r) for r in SMALL_PROJECTS]
    for r in rows:
        r[8] = {"第24届青洽会": "第25届青洽会"}.get(r[8], r[8])
    ds = load_dataset(write_dataset(tmp_path / "d", projects=rows), today=TODAY)
    f = compute(ds, Period(2025, 3))
    (e,) = [e for e in f.events if e.name == "第25届青洽会"]
    assert e.previous_name is None and not e.record_amount and not e.record_projects
    env = environment(Formatter())
    text = say(env.get_template("prose.j2").module.event(e))
    assert text == "第25届青洽会共签约项目2个，签约金额3.25亿元。"


# -- 分市州 -----------------------------------------------------------------------------------
def region(short, signed, growth_before, rank_signed, rank_growth):
    return NS(name=short + "市", short=short, rank_signed=rank_signed, rank_growth=rank_growth,
              signed=Metric(signed * YI, growth_before * YI if growth_before else None))


CFG = NS(area_word="市州", scope_word="全省")


def test_leader_that_also_grows_fastest(prose):
    f = NS(regions=[region("海北", D("513.66"), D("97.3"), 1, 1), region("西宁", D(300), D(299), 2, 2)])
    assert say(prose.regions(f, CFG)) == \
        "分市州看，海北签约金额513.66亿元，总量位居全省第一位，同比增长427.9%，增速也位居全省第一位。"


def test_a_decline_is_never_the_fastest_growth(prose):
    f = NS(regions=[region("海西", D("41.4"), D(100), 1, 1), region("西宁", D(20), D(100), 2, 2)])
    text = say(prose.regions(f, CFG))
    assert text == "分市州看，海西签约金额41.40亿元，总量位居全省第一位，同比下降58.6%。"
    f = NS(regions=[region("海西", D(10), D(20), 1, 2), region("西宁", D(0), D(0.5), 2, 1)])
    text = say(prose.regions(f, CFG))
    assert "增速" not in text and "下降100%" not in text


def test_ties_are_told_as_ties(prose):
    f = NS(regions=[region("西宁", D(200), D(100), 1, 1), region("海东", D(200), D(100), 1, 1),
                    region("海北", D(50), D(100), 3, 3)])
    assert say(prose.regions(f, CFG)) == \
        "分市州看，西宁、海东签约金额均为200亿元，并列全省第一位；西宁、海东签约金额同比均增长100%，增速并列全省第一位。"


def test_ranks_tie_in_compute(tmp_path):
    rows = [list(r) for r in SMALL_PROJECTS]
    rows[3][9] = "3亿"  # 海西州's P4 with the 3亿 of 西宁's P3
    ds = load_dataset(write_dataset(tmp_path / "d", projects=rows), today=TODAY)
    f = compute(ds, Period(2025, 3))
    firsts = [r.short for r in f.regions if r.rank_signed == 1]
    assert len(firsts) == 2


# -- zeros ------------------------------------------------------------------------------------
def _zero_figures(tmp_path):
    """A period with nothing signed and no funds: 1-5月 2023, before every record."""
    ds = load_dataset(write_dataset(tmp_path / "d"), today=TODAY)
    return ds, compute(ds, Period(2023, 5))


def test_no_sentences_of_zeros(prose, tmp_path):
    ds, f = _zero_figures(tmp_path)
    text = say(prose.overview(f, ds.config)) + say(prose.kinds(f)) + say(prose.top500(f))
    assert "0个" not in text and "0元" not in text and "0亿元" not in text, text
    assert "1-5月，全省无新签约招商引资项目，无到位资金。5月当月，无新签约项目，无到位资金。" in text
    assert "暂无三类500强企业投资项目" in text


def test_zero_is_never_yuan():
    assert Formatter().amount(0) == "0亿元"


def test_decimals_one_form_per_figure():
    fmt = Formatter()
    assert fmt.amount(D("377.3") * YI) == "377.30亿元"  # as the table prints 377.30
    assert fmt.amount(D(2520) * YI) == "2520亿元"
    assert fmt.amount(D(5100) * WAN) == "5100万元"
    assert fmt.amount(D("1.5") * YI) == "1.50亿元"


# -- places, titles, trend --------------------------------------------------------------------
def test_origins_counted_under_one_name(tmp_path):
    rows = [list(r) for r in SMALL_PROJECTS]  # P3 江苏, P1 江苏省 …
    for r in rows:
        if r[0] == "P4":
            r[5] = "江苏省南京市"
        if r[0] == "P5":
            r[5] = "香港"
    ds = load_dataset(write_dataset(tmp_path / "d", projects=rows), today=TODAY)
    f = compute(ds, Period(2025, 3))
    names = [o.name for o in f.origins]
    assert "江苏" not in names and names.count("江苏省") == 1
    assert "香港特别行政区" in names and "香港" not in names
    (js,) = [o for o in f.origins if o.name == "江苏省"]
    assert js.projects == 2


def test_job_titles_keep_the_city_word():
    assert formal_name(Region("西宁市", "西宁")) == "西宁市"
    assert formal_name(Region("海西蒙古族藏族自治州", "海西州")) == "海西州"


def test_trend_without_last_year_is_dashes(tmp_path):
    ds = load_dataset(write_dataset(tmp_path / "d"), today=TODAY)
    f = compute(ds, Period(2024, 6))  # 2023: no funds on record at all
    assert all(t.last_year is None for t in f.trend)
    f = compute(ds, Period(2025, 3))
    assert f.trend[0].last_year == 0  # 2024 is on record: its empty January is a real 0


def test_text_after_html_has_no_markup(tmp_path, monkeypatch):
    """The HTML and the text environment share compiled templates (the bytecode cache): no
    filter of one may be folded into the code the other runs."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    f = NS(regions=[region("海北", D(10), D(5), 1, 1)])
    first = environment(Formatter(), html=True).get_template("prose.j2").module
    assert "<span" in str(first.regions(f, CFG))
    text = environment(Formatter()).get_template("prose.j2").module
    assert "<span" not in str(text.regions(f, CFG))
