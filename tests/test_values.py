"""Parsers for what staff type into cells."""

from datetime import date, datetime
from decimal import Decimal as D

import pytest

from reports.data import values


@pytest.mark.parametrize("raw, unit, yuan", [
    ("3.5亿", "万元", D("350000000")),
    ("3500万", "亿元", D("35000000")),
    ("3500万元", "元", D("35000000")),
    ("12,000", "万元", D("120000000")),
    ("１２３．５", "万元", D("1235000")),   # full-width digits and point
    ("１２，３４５", "万元", D("123450000")),
    (" 1 200 ", "元", D("1200")),
    ("¥1,234.50", "元", D("1234.50")),
    ("0.46", "亿元", D("46000000")),
    ("1.2万亿", "亿元", D("1200000000000")),
    (3.5, "亿元", D("350000000")),        # Excel number
    (35000, "万元", D("350000000")),
    (0.1, "亿元", D("10000000")),          # repr(0.1) = "0.1": no float noise
    ("0", "万元", D("0")),
])
def test_parse_amount(raw, unit, yuan):
    assert values.parse_amount(raw, unit) == yuan


@pytest.mark.parametrize("raw, message", [
    ("abc", "不是有效的金额"),
    ("3.5亿美元", "不是有效的金额"),
    ("-5", "金额不能为负数"),
    ("1e30", "不是有效的金额"),
    (1e30, "金额过大"),
    (float("nan"), "不是有效的数字"),
    (float("inf"), "不是有效的数字"),
    ("3.5.1", "不是有效的金额"),
])
def test_parse_amount_errors(raw, message):
    with pytest.raises(ValueError, match=message):
        values.parse_amount(raw, "万元")


@pytest.mark.parametrize("raw", ["2024-02-18", "2024/2/18", "2024年2月18日", "2024.2.18", "20240218",
                                 "２０２４－０２－１８", "2024-02-18 00:00:00", date(2024, 2, 18),
                                 datetime(2024, 2, 18, 0, 0), 45340])
def test_parse_date(raw):
    assert values.parse_date(raw) == date(2024, 2, 18)


@pytest.mark.parametrize("raw, message", [
    ("2024-02-30", "不是存在的日期"), ("18/02/2024", "不是有效的日期"), ("明天", "不是有效的日期"),
])
def test_parse_date_errors(raw, message):
    with pytest.raises(ValueError, match=message):
        values.parse_date(raw)


@pytest.mark.parametrize("raw", ["2024-03", "2024/3", "2024年3月", "2024年03月", "202403", "2024.3",
                                 date(2024, 3, 1), "2024-03-15", "2024年3月份"])
def test_parse_month(raw):
    assert values.parse_month(raw) == (2024, 3)


def test_parse_month_errors():
    with pytest.raises(ValueError, match="月份应在1到12之间"):
        values.parse_month("2024-13")
    with pytest.raises(ValueError, match="不是有效的月份"):
        values.parse_month("三月")


def test_lists_counts_text():
    assert values.split_list("中国500强、央企") == ("中国500强", "央企")
    assert values.split_list("世界500强，央企 ") == ("世界500强", "央企")
    assert values.parse_count("12") == 12
    with pytest.raises(ValueError):
        values.parse_count("1.5")
    assert values.clean_text("　（二期）项目 ", fold=False) == "（二期）项目"
    assert values.clean_text("ＱＨ００１") == "QH001"
