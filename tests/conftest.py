"""Shared fixtures: a small hand-computed dataset written the way staff write CSVs."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data"
TODAY = date(2026, 11, 27)  # fixed "today" for the future-date warnings

SMALL_CONFIG = """\
industries = ["新能源", "新材料", "生态旅游"]

[province]
name = "青海省"
short = "青海"

[briefing]
name = "测试招商简报"
publisher = "测试投资促进局"
file_name = "测试简报"
send_to = ["省政府办公厅"]
copy_to = ["省商务厅"]
copies = 50

[display]
rounding = "half-up"

[[regions]]
name = "西宁市"
short = "西宁"
code = "630100"

[[regions]]
name = "海东市"
short = "海东"
code = "630200"

[[regions]]
name = "海西蒙古族藏族自治州"
short = "海西州"
code = "632800"
"""

PROJECTS_HEADER = ["项目编号", "项目名称", "市州", "产业", "投资方", "投资方所在地", "企业类别",
                   "签约日期", "签约活动", "签约金额（万元）"]
# Hand-computed figures for period 2025-03 are in tests/test_compute.py.
SMALL_PROJECTS = [
    ["P1", "西宁光伏项目", "西宁市", "新能源", "甲能源公司", "江苏省", "世界500强", "2024-03-10", "第23届青洽会", "10000"],
    ["P2", "海东材料项目", "海东", "新材料", "乙材料公司", "青海省", "", "2024-06-12", "", "5000"],
    ["P3", "西宁储能项目", "西宁", "新能源", "丙电力集团", "江苏", "中国500强、央企", "2025-02-18", "第24届青洽会", "3亿"],
    ["P4", "海西旅游项目", "海西州", "生态旅游", "丁旅游公司", "德国", "民营500强", "2025/3/5", "第24届青洽会", "2,500"],
    ["P5", "海东铜箔项目", "海东市", "新材料", "戊铜业公司", "浙江", "", "2025年3月20日", "", "12345.67"],
    ["P6", "海西风电项目", "632800", "新能源", "己风电公司", "北京市", "", "2025-07-01", "", "100000"],
    ["P7", "海西光热项目", "海西州", "新能源", "庚光热公司", "广东省", "", "2024-01-15", "", "8000"],
]
FUNDS_HEADER = ["项目编号", "月份", "到位资金（万元）", "资金来源"]
SMALL_FUNDS = [
    ["P1", "2024-04", "2000", ""],
    ["P1", "2025-01", "1000", ""],
    ["P2", "2025年2月", "500", ""],
    ["P3", "2025/3", "3000", ""],
    ["P4", "2025-03", "200", ""],
    ["P7", "2024-02", "800", ""],
    ["P7", "2025-03", "400", "省内"],
]
TARGETS_HEADER = ["年度", "范围", "指标", "目标（亿元）"]
SMALL_TARGETS = [
    ["2025", "全省", "签约金额", "10"],
    ["2025", "全省", "签约项目数", "6"],
    ["2025", "全省", "到位资金", "2"],
    ["2025", "全省", "省外到位资金", "1.5"],
    ["2025", "西宁", "签约金额", "5"],
    ["2025", "海西州", "到位资金", "0.5"],
]


def csv_bytes(rows, encoding="utf-8") -> bytes:
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return buf.getvalue().encode(encoding)


def write_dataset(folder: Path, projects=None, funds=None, targets=None, config=SMALL_CONFIG,
                  encoding="utf-8", headers=None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.toml").write_text(config, encoding="utf-8")
    h = headers or {}
    tables = {
        "签约项目.csv": [h.get("projects", PROJECTS_HEADER)] + (SMALL_PROJECTS if projects is None else projects),
        "到位资金.csv": [h.get("funds", FUNDS_HEADER)] + (SMALL_FUNDS if funds is None else funds),
        "年度目标.csv": [h.get("targets", TARGETS_HEADER)] + (SMALL_TARGETS if targets is None else targets),
    }
    for name, rows in tables.items():
        (folder / name).write_bytes(csv_bytes(rows, encoding))
    return folder


@pytest.fixture
def small_data(tmp_path) -> Path:
    return write_dataset(tmp_path / "data")


@pytest.fixture(scope="session")
def sample(tmp_path_factory):
    """The sample briefing (data/, 2026-10), built once for the session; WeasyPrint's
    warnings kept as ``weasy_logs``."""
    import logging

    from reports.figures.compute import Period
    from reports.products.briefing import build

    out = tmp_path_factory.mktemp("out")
    weasy_logs = []
    handler = logging.Handler()
    handler.emit = weasy_logs.append
    logging.getLogger("weasyprint").addHandler(handler)
    try:
        result = build(SAMPLE, Period(2026, 10), out)
    finally:
        logging.getLogger("weasyprint").removeHandler(handler)
    result.weasy_logs = [r for r in weasy_logs if r.levelno >= logging.WARNING]
    return result
