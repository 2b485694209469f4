"""Real ledgers as staff keep them (tests/messy.py): each either gives exactly the clean
sample's figures, or a named error — file, sheet, row as Excel shows it, column, cause.
Never different figures without an error."""

from __future__ import annotations

import dataclasses
from decimal import Decimal, InvalidOperation

import pytest
from messy import SAME, VARIANTS, build

from reports.data.validate import load_dataset
from reports.errors import DataError
from reports.figures.compute import Period, compute
from reports.figures.jsonout import jsonable

PERIOD = Period(2026, 10)


def _without_rows(value):
    """Figures as data, without the row numbers (title rows above a header move them), and
    amounts compared by value ("350000000.0" = "350000000")."""
    if isinstance(value, dict):
        return {k: _without_rows(v) for k, v in value.items() if k != "row"}
    if isinstance(value, list):
        return [_without_rows(v) for v in value]
    if isinstance(value, str):
        try:
            return Decimal(value)
        except InvalidOperation:
            return value
    return value


def figures(folder):
    ds = load_dataset(folder)
    return ds, _without_rows(jsonable(compute(ds, PERIOD)))


@pytest.fixture(scope="module")
def clean():
    from messy import SAMPLE

    return figures(SAMPLE)[1]


@pytest.mark.parametrize("variant", VARIANTS, ids=[v.name for v in VARIANTS])
def test_messy_ledger_gives_the_sample_figures_or_a_named_error(variant, tmp_path, clean):
    folder = build(variant, tmp_path / variant.name)
    if variant.expect == SAME:
        ds, found = figures(folder)
        assert found == clean
        assert len(ds.projects) == 376 and len(ds.funds) == 3561
        return
    if variant.warning:
        ds = load_dataset(folder)
        assert any(variant.expect in str(w) for w in ds.warnings), [str(w) for w in ds.warnings]
        return
    with pytest.raises(DataError) as caught:
        load_dataset(folder)
    errors = [str(p) for p in caught.value.problems if p.error]
    assert any(variant.expect in e for e in errors), errors
    for p in caught.value.problems:  # every error says where
        assert p.file or "表" in p.message


def test_names_that_look_like_totals_are_data(tmp_path):
    variant = next(v for v in VARIANTS if v.name == "total_like_names")
    ds = load_dataset(build(variant, tmp_path / "v"))
    assert len(ds.projects) == 376 and not ds.notes  # nothing set aside
    starts = {p.name[:2] for p in ds.projects}
    assert {"总计", "备注", "一、"} <= starts


def test_every_variant_is_a_different_file(tmp_path):
    """The corpus really is messy: no variant is byte for byte the sample."""
    names = [v.name for v in VARIANTS]
    assert len(names) == len(set(names)) and len(names) >= 25


def errors_of(variant_name, tmp_path):
    variant = next(v for v in VARIANTS if v.name == variant_name)
    with pytest.raises(DataError) as caught:
        load_dataset(build(variant, tmp_path / variant_name))
    return [str(p) for p in caught.value.problems if p.error], caught.value.problems


def test_hidden_rows_name_the_rows_and_the_setting(tmp_path):
    errors, _ = errors_of("hidden_rows", tmp_path)
    assert errors == ["错误：台账.xlsx［签约项目］：第378–380行是隐藏行（共3行）：无法确定隐藏的行是否应"
                      "计入。请取消隐藏或删除这些行；或在 config.toml 的 [data] 中写明 hidden_rows = "
                      "\"include\"（隐藏行照常计入）或 \"exclude\"（隐藏行不计入）"]


def test_hidden_rows_included_count(tmp_path):
    variant = dataclasses.replace(next(v for v in VARIANTS if v.name == "hidden_rows"),
                                  config=(("[data]\n", '[data]\nhidden_rows = "include"\n'),))
    ds = load_dataset(build(variant, tmp_path / "v"))
    assert len(ds.projects) == 379
    assert any("隐藏行，按 config.toml 的 hidden_rows = \"include\" 照常计入" in str(n)
               for n in ds.notes)


def test_wrong_total_names_both_values(tmp_path):
    errors, _ = errors_of("totals_wrong", tmp_path)
    assert len(errors) == 1
    assert "“合计”行为 " in errors[0] and "而它汇总的376行相加为 " in errors[0]
    assert "（相差 1万元）" in errors[0]


def test_lost_zeros_is_one_cause_not_thousands(tmp_path):

    errors, problems = errors_of("lost_zeros", tmp_path)
    assert len(errors) == 1
    assert errors[0].startswith(
        "错误：台账.xlsx［到位资金］ 第2行 “项目编号”列：3561行的项目编号在“签约项目”表中找不到，但补上"
        "前导零就有（如第2行的“1”是“00001”）：Excel 可能去掉了前导零（把编号当作了数字）。请把这一列设为"
        "文本格式后重新输入编号（第2–3562行）")


def test_flood_of_a_missing_column_is_one_error(tmp_path):
    errors, _ = errors_of("flood", tmp_path)
    assert errors == ["错误：签约项目.csv 第1行 “项目名称”列：缺少必填列“项目名称”（也可写作 name）"]


def test_notes_say_how_the_file_was_read(tmp_path):
    for name, words in (("title_rows", "表头在第4行，上方的第1–3行（标题、填报单位等）未作为数据读取"),
                        ("merged_cells", "的内容计入它覆盖的每一行"),
                        ("stale_hidden_sheet", "读取了“台账.xlsx［签约项目 (2)］”；隐藏的工作表“签约项目”未读取"),
                        ("totals_rows", "是分组标题，未作为数据读取"),
                        ("autofilter", "工作表处于筛选状态"),
                        ("csv_bom_gbk", "内容却是 GBK 编码，已按 GBK 读取")):
        variant = next(v for v in VARIANTS if v.name == name)
        ds = load_dataset(build(variant, tmp_path / name))
        assert any(words in str(n) for n in ds.notes), (name, [str(n) for n in ds.notes])


def test_invisible_characters_shown_in_messages(tmp_path):
    from conftest import PROJECTS_HEADER, SMALL_PROJECTS, write_dataset

    rows = [list(r) for r in SMALL_PROJECTS]
    rows[1][PROJECTS_HEADER.index("产业")] = "航\u200b空"
    with pytest.raises(DataError) as caught:
        load_dataset(write_dataset(tmp_path / "d", projects=rows,
                                   funds=[["P1", "2024-04", "2000", ""]]))
    # stripped before the lookup (so 海南州 + U+200B is 海南州); 航空 is still unknown, and the
    # message shows what the cell holds
    assert any("值“航<U+200B>空”，不是已知的产业" in str(p) for p in caught.value.problems)
    from reports.errors import Problem
    assert "值“海南州<U+200B>”" in str(Problem("x", value="海南州\u200b"))


def test_a_month_without_data_stops_build_and_figures(tmp_path, capsys):
    from messy import SAMPLE

    from reports.cli import main

    for argv in (["build", "--out", str(tmp_path)], ["figures"]):
        assert main([*argv, "--data", str(SAMPLE), "--period", "2026-11"]) == 2
        err = capsys.readouterr().err
        assert "2026年11月没有任何数据：这个月既没有签约项目，也没有到位资金记录（数据中最近的月份是" \
               "2026年10月）" in err
    assert not list(tmp_path.iterdir())


def test_a_month_with_few_fund_rows_is_a_warning(tmp_path, capsys):
    """October entered in part: a third of September's fund rows."""
    import shutil

    from messy import SAMPLE, _csv, sample_tables

    from reports.cli import main

    folder = tmp_path / "d"
    shutil.copytree(SAMPLE, folder)
    funds = sample_tables()["funds"]
    october = [r for r in funds[1:] if r[1].startswith("2026-10") or r[1] == "2026年10月"]
    keep = october[: len(october) // 3]
    _csv(folder / "到位资金.csv", [funds[0]] + [r for r in funds[1:] if r not in october] + keep)
    assert main(["figures", "--data", str(folder)]) == 0
    err = capsys.readouterr().err
    assert f"2026年10月的到位资金只有{len(keep)}行，上个月有" in err and "本月数据可能尚未录全" in err


def test_hidden_column_is_said(tmp_path):
    variant = next(v for v in VARIANTS if v.name == "hidden_column")
    ds = load_dataset(build(variant, tmp_path / "v"))
    assert any("这一列是隐藏列，仍按数据读取" in str(n) and "投资方所在地" in str(n) for n in ds.notes)


@pytest.mark.parametrize("name", ["totals_rows", "two_row_header", "legacy_xls"])
def test_the_briefing_from_a_messy_ledger_is_the_clean_one_byte_for_byte(name, tmp_path):
    from reports.products.briefing import build as build_briefing
    from messy import SAMPLE

    variant = next(v for v in VARIANTS if v.name == name)
    folder = build(variant, tmp_path / name)
    messy = build_briefing(folder, PERIOD, tmp_path / "messy-out")
    clean = build_briefing(SAMPLE, PERIOD, tmp_path / "clean-out")
    assert messy.pdf.read_bytes() == clean.pdf.read_bytes()


def test_a_month_in_the_future_is_refused_even_with_rows(tmp_path, capsys):
    """Rows dated in the future (a typo, a plan) don't make a future month buildable."""
    import shutil
    from datetime import date

    from reports.cli import main
    from messy import SAMPLE, _csv, sample_tables

    folder = tmp_path / "d"
    shutil.copytree(SAMPLE, folder)
    p = sample_tables()["projects"]
    future = list(p[1])
    future[0], future[p[0].index("签约日期")] = "QH2099-1", f"{date.today().year + 1}-03-01"
    _csv(folder / "签约项目.csv", p + [future])
    period = f"{date.today().year + 1}-03"
    for argv in (["build", "--out", str(tmp_path / "out")], ["figures"]):
        assert main([*argv, "--data", str(folder), "--period", period]) == 2
        assert "在未来" in capsys.readouterr().err
