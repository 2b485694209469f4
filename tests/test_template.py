"""``report template``: the 台账模板 staff fill in. Its sheets, headers, dropdowns and formats;
filled in with the sample's rows it reads back to exactly the sample's figures."""

from __future__ import annotations

import shutil

import openpyxl
import pytest
from messy import SAMPLE, number, sample_tables
from test_messy import figures

from reports.cli import main
from reports.data.validate import load_dataset
from reports.data.values import parse_date


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    out = tmp_path_factory.mktemp("t") / "台账模板.xlsx"
    assert main(["template", "--data", str(SAMPLE), "--out", str(out)]) == 0
    return out


def test_sheets_headers_and_dropdowns(template):
    wb = openpyxl.load_workbook(template)
    assert wb.sheetnames == ["说明", "选项", "签约项目", "到位资金", "年度目标", "代表团"]
    assert wb["选项"].sheet_state == "hidden"
    projects = wb["签约项目"]
    header = [c.value for c in projects[1]]
    assert header[:3] == ["项目编号", "项目名称", "市州"] and "签约金额（万元）" in header
    assert [c.value for c in wb["年度目标"][1]] == ["年度", "范围", "指标", "目标（亿元）"]
    assert projects.freeze_panes == "A2"
    lists = {str(dv.sqref).split(":")[0].rstrip("0123456789"): dv.formula1
             for dv in projects.data_validations.dataValidation if dv.type == "list"}
    region_col = openpyxl.utils.get_column_letter(header.index("市州") + 1)
    assert lists[region_col].startswith("选项!$A$2:$A$9")  # the 8 市州 of config.toml
    options = [c.value for c in wb["选项"]["A"] if c.value][1:]
    assert options[0] == "西宁市" and len(options) == 8
    assert projects["A2"].number_format == "@"  # 项目编号 keeps its leading zeros
    month = wb["到位资金"].cell(2, 2)
    assert month.number_format == "@"  # 2026-10 stays text, never 2026.1
    notes = [r[1] for r in wb["说明"].iter_rows(values_only=True) if r[0] == "签约项目"]
    assert "签约金额（万元）" in notes
    # 代表团: one row per delegation, with dropdowns for what must be one of a list
    visits = wb["代表团"]
    header = [c.value for c in visits[1]]
    assert header[:6] == ["名称", "英文名称", "来访日期", "关注产业", "关注市州", "来源地"]
    lists = {str(dv.sqref).split(":")[0].rstrip("0123456789"): dv
             for dv in visits.data_validations.dataValidation if dv.type == "list"}
    column = {name: openpyxl.utils.get_column_letter(header.index(name) + 1)
              for name in ("关注产业", "来源地", "语言")}
    assert set(column.values()) <= set(lists)
    assert lists[column["关注产业"]].errorStyle == "information"  # several may be typed
    assert lists[column["语言"]].errorStyle in (None, "stop")


def test_same_config_same_bytes(template, tmp_path):
    again = tmp_path / "again.xlsx"
    assert main(["template", "--data", str(SAMPLE), "--out", str(again)]) == 0
    assert again.read_bytes() == template.read_bytes()


def test_empty_template_is_read_cleanly(template, tmp_path):
    folder = tmp_path / "d"
    folder.mkdir()
    shutil.copy(SAMPLE / "config.toml", folder / "config.toml")
    shutil.copy(template, folder / "台账.xlsx")
    ds = load_dataset(folder)
    assert (len(ds.projects), len(ds.funds), len(ds.targets)) == (0, 0, 0)
    assert not ds.warnings


def test_filled_in_template_gives_the_sample_figures(template, tmp_path):
    folder = tmp_path / "filled"
    folder.mkdir()
    shutil.copy(SAMPLE / "config.toml", folder / "config.toml")
    wb = openpyxl.load_workbook(template)
    tables = sample_tables()
    for key, name in (("projects", "签约项目"), ("funds", "到位资金"), ("targets", "年度目标")):
        ws = wb[name]
        header = [c.value for c in ws[1]]
        source = tables[key][0]
        for r, row in enumerate(tables[key][1:], 2):
            for c, column in enumerate(header, 1):
                value = row[source.index(column)] if column in source else ""
                if column == "签约日期":
                    value = parse_date(value)  # typed into a date cell
                elif column not in ("项目编号", "月份"):
                    value = number(value)
                ws.cell(r, c, value if value != "" else None)
    wb.save(folder / "台账.xlsx")
    assert main(["validate", "--data", str(folder)]) == 0
    assert figures(folder)[1] == figures(SAMPLE)[1]


def test_template_needs_xlsx_name(tmp_path, capsys):
    assert main(["template", "--data", str(SAMPLE), "--out", str(tmp_path / "t.xls")]) == 2
    assert "应以 .xlsx 结尾" in capsys.readouterr().err
