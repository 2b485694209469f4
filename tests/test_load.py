"""Loading what Excel in China writes: encodings, header forms, xlsx, blank rows."""

import codecs
from datetime import date
from decimal import Decimal as D

import pytest
from conftest import (
    FUNDS_HEADER,
    PROJECTS_HEADER,
    SMALL_CONFIG,
    SMALL_FUNDS,
    SMALL_PROJECTS,
    SMALL_TARGETS,
    TARGETS_HEADER,
    TODAY,
    write_dataset,
)
from openpyxl import Workbook

from reports.data.load import decode_csv
from reports.data.validate import load_dataset


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_every_encoding_loads(tmp_path, encoding):
    folder = write_dataset(tmp_path / "d", encoding=encoding)
    ds = load_dataset(folder, today=TODAY)
    assert len(ds.projects) == 7
    assert ds.projects[0].name == "西宁光伏项目"
    assert ds.projects[3].region == "海西蒙古族藏族自治州"


def test_decode_reports_undecodable_bytes():
    with pytest.raises(ValueError, match="无法识别文件编码"):
        decode_csv(b"\x81\x30\xff\xff\xfe\x00")
    assert decode_csv(codecs.BOM_UTF8 + "项目".encode())[1] == "UTF-8 (BOM)"
    assert decode_csv("项目".encode("gbk"))[1] == "GB18030"


@pytest.mark.parametrize("amount_header, unit_factor", [
    ("签约金额（万元）", 10_000), ("签约金额(万元)", 10_000), ("签约金额 （ 亿元 ）", 100_000_000),
    ("amount(元)", 1), ("签约金额[amount]（万元）", 10_000), ("AMOUNT（万元）", 10_000),
])
def test_header_forms(tmp_path, amount_header, unit_factor):
    header = PROJECTS_HEADER[:-1] + [amount_header]
    projects = [r[:-1] + ["100"] for r in SMALL_PROJECTS]
    funds = [r for r in SMALL_FUNDS if False]
    folder = write_dataset(tmp_path / "d", projects=projects, funds=funds,
                           headers={"projects": header})
    ds = load_dataset(folder, today=TODAY)
    assert ds.projects[0].amount == 100 * unit_factor


def test_english_headers(tmp_path):
    header = ["id", "name", "region", "industry", "investor", "origin", "tier", "signed_on",
              "event", "amount(万元)"]
    folder = write_dataset(tmp_path / "d", headers={
        "projects": header, "funds": ["project_id", "month", "amount(万元)", "source"],
        "targets": ["year", "scope", "indicator", "target(亿元)"]})
    ds = load_dataset(folder, today=TODAY)
    assert len(ds.projects) == 7 and len(ds.funds) == 7 and len(ds.targets) == 6


def test_typed_forms_in_cells(tmp_path):
    ds = load_dataset(write_dataset(tmp_path / "d"), today=TODAY)
    p = {x.id: x for x in ds.projects}
    assert p["P3"].amount == D("300000000")  # "3亿" in a 万元 column
    assert p["P4"].amount == D("25000000")   # "2,500"
    assert p["P4"].signed_on == date(2025, 3, 5)   # 2025/3/5
    assert p["P5"].signed_on == date(2025, 3, 20)  # 2025年3月20日
    assert p["P5"].amount == D("123456700")
    assert p["P6"].region == "海西蒙古族藏族自治州"  # by code 632800
    assert p["P3"].tiers == ("中国500强", "央企")
    months = {(f.project_id, f.year, f.month) for f in ds.funds}
    assert ("P2", 2025, 2) in months and ("P3", 2025, 3) in months


def test_blank_and_trailing_rows_are_skipped(tmp_path):
    folder = write_dataset(tmp_path / "d")
    data = (folder / "签约项目.csv").read_bytes() + b",,,,\r\n\r\n  ,\r\n"
    (folder / "签约项目.csv").write_bytes(b"\r\n" + data)  # a blank line above the header too
    ds = load_dataset(folder, today=TODAY)
    assert len(ds.projects) == 7


def test_derived_fund_sources(tmp_path):
    ds = load_dataset(write_dataset(tmp_path / "d"), today=TODAY)
    src = {(f.project_id, f.year, f.month): f.source for f in ds.funds}
    assert src[("P1", 2025, 1)] == "省外"   # 江苏省
    assert src[("P2", 2025, 2)] == "省内"   # 青海省
    assert src[("P4", 2025, 3)] == "境外"   # 德国
    assert src[("P7", 2025, 3)] == "省内"   # typed source wins over 广东省


def _xlsx(path, sheets):
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    wb.save(path)


def test_xlsx_with_real_dates_and_numbers(tmp_path):
    folder = tmp_path / "x"
    folder.mkdir()
    (folder / "config.toml").write_text(SMALL_CONFIG, encoding="utf-8")
    projects = [r[:7] + [date(2025, 3, 5) if r[0] == "P4" else r[7]] + r[8:9] +
                [float(r[9].replace(",", "")) if r[0] in ("P1", "P4") else r[9]]
                for r in SMALL_PROJECTS]
    _xlsx(folder / "台账.xlsx", {
        "签约项目": [PROJECTS_HEADER] + projects + [[None] * 3],
        "到位资金": [FUNDS_HEADER] + [[r[0], r[1], float(r[2]), r[3]] for r in SMALL_FUNDS],
        "年度目标": [TARGETS_HEADER] + [[int(r[0]), r[1], r[2], float(r[3])] for r in SMALL_TARGETS],
        "说明": [["这张表不是数据表，忽略"]],
    })
    (folder / "~$台账.xlsx").write_bytes(b"lock file of an open workbook")
    ds = load_dataset(folder, today=TODAY)
    p = {x.id: x for x in ds.projects}
    assert p["P4"].signed_on == date(2025, 3, 5) and p["P4"].amount == D("25000000")
    assert p["P1"].amount == D("100000000")
    assert len(ds.funds) == 7 and len(ds.targets) == 6
    csv_ds = load_dataset(write_dataset(tmp_path / "c"), today=TODAY)
    assert [(x.id, x.amount) for x in ds.projects] == [(x.id, x.amount) for x in csv_ds.projects]


def test_sample_csv_and_xlsx_agree():
    from conftest import SAMPLE
    a = load_dataset(SAMPLE, today=TODAY)
    b = load_dataset(SAMPLE / "excel", today=TODAY)
    assert len(a.projects) >= 300
    assert a.projects == b.projects
    assert [(f.project_id, f.year, f.month, f.amount) for f in a.funds] == \
        [(f.project_id, f.year, f.month, f.amount) for f in b.funds]
    assert a.targets == b.targets
    assert not a.warnings


def test_sample_uses_every_optional_column_and_tier():
    from conftest import SAMPLE

    from reports.data.model import TIERS
    ds = load_dataset(SAMPLE, today=TODAY)
    for attr in ("county", "origin", "event", "kind", "status"):
        assert any(getattr(p, attr) for p in ds.projects), attr
    tiers = {t for p in ds.projects for t in p.tiers}
    assert tiers == set(TIERS)
    assert {p.region for p in ds.projects} == {r.name for r in ds.config.regions}
    assert any(f.source for f in ds.funds)
    years = {p.signed_on.year for p in ds.projects}
    assert {2024, 2025} <= years
