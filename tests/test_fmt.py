"""Every formatting filter, table-driven: rounding boundaries, zero, negative, huge, missing."""

from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reports.figures.compute import Period
from reports.figures.fmt import Formatter, chinese_number

zh = Formatter()
even = Formatter(rounding="half-even")
en = Formatter("en")


@pytest.mark.parametrize("yuan, text", [
    ("787400000000", "7874亿元"),
    ("35570000000", "355.70亿元"),  # as a table prints it
    ("42066000000", "420.66亿元"),
    ("56000000", "5600万元"),
    ("3470000000000", "3.47万亿元"),
    ("100000000", "1亿元"),
    ("99999999.999", "1亿元"),  # rounds up into the next unit: never 10000万元
    ("99994999", "9999.50万元"),
    ("999999999999.99", "1万亿元"),
    ("12345", "1.23万元"),
    ("0", "0亿元"),  # no size to choose a unit: the tables' one
    ("-56000000", "-5600万元"),
    ("123456789012345678", "123456.79万亿元"),
    (None, "—"),
])
def test_amount_zh(yuan, text):
    assert zh.amount(None if yuan is None else D(yuan)) == text


@pytest.mark.parametrize("yuan, half_up, half_even", [
    ("100500000", "1.01亿元", "1亿元"),  # 1.005亿: x.xx5 boundary
    ("101500000", "1.02亿元", "1.02亿元"),
    ("102500000", "1.03亿元", "1.02亿元"),
    ("100499999", "1亿元", "1亿元"),
    ("155000", "15.50万元", "15.50万元"),
    ("1234565", "123.46万元", "123.46万元"),
    ("1234575", "123.46万元", "123.46万元"),  # 123.4575: half-up 123.46, half-even 123.46
    ("1234585", "123.46万元", "123.46万元"),
])
def test_amount_rounding_modes(yuan, half_up, half_even):
    assert zh.amount(D(yuan)) == half_up
    assert even.amount(D(yuan)) == half_even


def test_rounding_half_boundary_differs():
    assert zh.amount(D("1234550")) == "123.46万元"   # 123.455 → 四舍五入 123.46
    assert even.amount(D("1234550")) == "123.46万元"  # 123.455 → 5 after odd 5 → 123.46
    assert zh.amount(D("1234450")) == "123.45万元"   # 123.445 → 123.45
    assert even.amount(D("1234450")) == "123.44万元"  # 123.445 → even 4 stays


@pytest.mark.parametrize("yuan, text", [
    ("787400000000", "CNY 787.4 billion"),
    ("7874000000000", "CNY 7.87 trillion"),
    ("56000000", "CNY 56 million"),
    ("1234", "CNY 1,234"),
    ("0", "CNY 0"),
    ("999999999.999", "CNY 1 billion"),
    ("999994999", "CNY 999.99 million"),
])
def test_amount_en(yuan, text):
    assert en.amount(D(yuan)) == text


def test_amount_fixed_unit_and_grouping():
    assert zh.amount(D("787400000000"), unit="万元") == "78740000万元"
    grouped = Formatter(grouping=True)
    assert grouped.amount(D("787400000000"), unit="万元") == "78,740,000万元"
    assert grouped.amount(D("787400000000")) == "7874亿元"  # four digits are never grouped
    assert zh.amount_in(D("42066000000")) == "420.66"
    assert zh.amount_in(D("35570000000")) == "355.70"  # table cells keep fixed decimals
    assert zh.amount_in(D("0")) == "0.00"
    assert zh.amount_in(None) == "—"
    assert zh.amount_in(D("56000000"), "万元", 0) == "5600"


@pytest.mark.parametrize("ratio, pct, growth", [
    ("1.136", "113.6%", "增长113.6%"),
    ("0.55", "55%", "增长55%"),
    ("-0.123", "-12.3%", "下降12.3%"),
    ("-0.12", "-12%", "下降12%"),
    ("0", "0%", "持平"),
    ("0.0004", "0%", "持平"),   # rounds to 0.0%: 持平, never 增长0%
    ("-0.0004", "0%", "持平"),
    ("0.0005", "0.1%", "增长0.1%"),  # 0.05% half-up
    ("12.5", "1250%", "增长1250%"),
    (None, "—", "—"),
])
def test_percent_and_growth(ratio, pct, growth):
    value = None if ratio is None else D(ratio)
    assert zh.percent(value) == pct
    assert zh.growth(value) == growth


def test_growth_en_and_points_and_signed():
    assert en.growth(D("0.55")) == "up 55%"
    assert en.growth(D("-0.123")) == "down 12.3%"
    assert en.growth(D("0")) == "flat"
    assert zh.points(D("0.032")) == "提高3.2个百分点"
    assert zh.points(D("-0.001")) == "降低0.1个百分点"
    assert zh.points(D("0")) == "持平"
    assert zh.points(None) == "—"
    assert zh.signed_percent(D("0.55")) == "+55.0%"
    assert zh.signed_percent(D("-0.1234")) == "-12.3%"
    assert zh.signed_percent(D("0")) == "0.0%"
    assert zh.percent(D("1.13649"), decimals=2) == "113.65%"
    assert zh.percent(D("1.1"), trim=False) == "110.0%"


def test_counts_dates_periods():
    assert zh.count(225) == "225个"
    assert zh.count(16, "家") == "16家"
    assert zh.count(None) == "—"
    assert en.count(225) == "225"
    assert zh.date(date(2024, 2, 18)) == "2024年2月18日"
    assert en.date(date(2024, 2, 18)) == "18 February 2024"  # one style: day month year
    assert en.day(date(2024, 2, 18)) == "18 Feb 2024" and zh.day(date(2024, 2, 18)) == "2024-02-18"
    assert zh.date(None) == "—"
    assert zh.month(Period(2024, 3)) == "2024年3月"
    assert en.month(Period(2024, 3)) == "March 2024"


@pytest.mark.parametrize("month, rng, name", [
    (1, "1月", "1月"), (3, "1-3月", "一季度"), (5, "1-5月", "1-5月"), (6, "1-6月", "上半年"),
    (9, "1-9月", "前三季度"), (12, "1-12月", "全年"),
])
def test_period(month, rng, name):
    assert zh.period(Period(2024, month)) == rng
    assert zh.period(Period(2024, month), "name") == name


def test_period_en():
    assert en.period(Period(2024, 3)) == "January–March"
    assert en.period(Period(2024, 6), "name") == "H1"


@pytest.mark.parametrize("n, text", [
    (0, "零"), (1, "一"), (3, "三"), (10, "十"), (11, "十一"), (20, "二十"), (21, "二十一"),
    (100, "一百"), (105, "一百零五"), (110, "一百一十"), (1005, "一千零五"), (10000, "一万"),
    (10500, "一万零五百"), (123456, "十二万三千四百五十六"),
])
def test_chinese_numbers(n, text):
    assert chinese_number(n) == text


def test_ordinals():
    assert zh.ordinal(3) == "第三位"
    assert zh.ordinal(12) == "第十二位"
    assert zh.ordinal(None) == "—"
    assert [en.ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101)] == \
        ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st"]


def test_parts_differ_note():
    # 1/3 each: 0.33 + 0.33 + 0.33 = 0.99 ≠ 1.00
    third = D(100_000_000) / 3
    assert zh.parts_differ([third] * 3, D(100_000_000))
    assert not zh.parts_differ([D(50_000_000), D(50_000_000)], D(100_000_000))


def test_or_dash():
    f = zh.filters()["or_dash"]
    assert f(None) == "—" and f("") == "—" and f("x") == "x"


money = st.one_of(st.none(), st.decimals(min_value=-10**16, max_value=10**16, places=2,
                                         allow_nan=False, allow_infinity=False))
ratios = st.one_of(st.none(), st.decimals(min_value=-1000, max_value=1000, places=6,
                                          allow_nan=False, allow_infinity=False))


@given(money, st.sampled_from([zh, even, en, Formatter(grouping=True)]))
def test_amount_never_raises(value, fmt):
    text = fmt.amount(value)
    assert text and "None" not in text and "nan" not in text.lower()
    assert "E" not in text  # no scientific notation
    fmt.amount_in(value)


@given(ratios, st.sampled_from([zh, en]))
def test_ratios_never_raise(value, fmt):
    for f in (fmt.percent, fmt.growth, fmt.points, fmt.signed_percent):
        text = f(value)
        assert text and "None" not in text
    if value is not None and fmt is zh:
        g = zh.growth(value)
        assert not g.startswith("增长-") and "下降-" not in g


@given(st.integers(min_value=0, max_value=99_999_999))
def test_chinese_number_never_raises(n):
    text = chinese_number(n)
    assert text and not text.startswith("零") or n == 0


@settings(max_examples=500)
@given(st.decimals(min_value=-10 ** 15, max_value=10 ** 15, allow_nan=False,
                   allow_infinity=False, places=6),
       st.integers(min_value=0, max_value=4), st.booleans())
def test_plain_printing_is_what_babel_prints(value, places, trim):
    """The fast path for ungrouped Chinese numbers prints exactly what Babel would."""
    from babel.numbers import format_decimal

    from reports.figures.fmt import _plain

    rounded = zh.round(value, places)
    pattern = "0" + ("." + ("#" if trim else "0") * places if places else "")
    babel = format_decimal(rounded, format=pattern, locale="zh_CN", decimal_quantization=False)
    assert _plain(rounded, trim) == babel
