"""Broken input, fuzzed (issue 7): random bytes, wrong encodings, broken workbooks,
formulas, merged cells, huge and non-finite numbers, empty sheets, a million-character cell,
100,000 rows. Every case ends in a PDF or a clean report of problems (exit 2) — never a
traceback, never a hang.

`make test` runs a fixed set of examples (derandomised); `make fuzz` runs many more, with a
random seed: FUZZ_EXAMPLES=500 FUZZ_RANDOM=1.
"""

from __future__ import annotations

import dataclasses
import io
import os
import shutil
import signal
import tempfile
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from conftest import (
    FUNDS_HEADER,
    PROJECTS_HEADER,
    SAMPLE,
    SMALL_FUNDS,
    SMALL_PROJECTS,
    TARGETS_HEADER,
    csv_bytes,
    write_dataset,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reports.data.validate import load_dataset
from reports.errors import ConfigError, DataError

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "30"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=not os.environ.get("FUZZ_RANDOM"),
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])
BUILDS = settings(FUZZ, max_examples=max(3, EXAMPLES // 8))
TABLES = ["签约项目.csv", "到位资金.csv", "年度目标.csv", "招商项目.csv", "config.toml"]


@contextmanager
def no_hang(seconds: int = 60):
    def hung(signum, frame):
        raise AssertionError(f"no result after {seconds} s: a hang")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def dataset(**tables):
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_dataset(Path(tmp) / "d")
        shutil.copy(SAMPLE / "招商项目.csv", folder)
        for name, data in tables.items():
            (folder / name).write_bytes(data)
        yield folder


def loads_or_reports(folder: Path) -> None:
    """The loader's contract: a dataset, or DataError / ConfigError — nothing else."""
    with no_hang():
        try:
            load_dataset(folder, extra=("opportunities",))
        except (DataError, ConfigError) as exc:
            assert str(exc)


@FUZZ
@given(table=st.sampled_from(TABLES), data=st.binary(max_size=4000))
def test_random_bytes_in_any_table(table, data):
    with dataset(**{table: data}) as folder:
        loads_or_reports(folder)


@FUZZ
@given(table=st.sampled_from(TABLES[:3]),
       rows=st.lists(st.lists(st.text(max_size=30), max_size=12), max_size=20),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16", "latin-1"]))
def test_random_cells_under_a_valid_header(table, rows, encoding):
    header = {"签约项目.csv": PROJECTS_HEADER, "到位资金.csv": FUNDS_HEADER,
              "年度目标.csv": TARGETS_HEADER}[table]
    try:
        data = csv_bytes([header] + rows, encoding)
    except UnicodeEncodeError:
        data = csv_bytes([header] + rows, "utf-8")
    with dataset(**{table: data}) as folder:
        loads_or_reports(folder)


_CELL = st.one_of(st.none(), st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12),
                  st.integers(-10**6, 10**9),
                  st.floats(allow_nan=False, allow_infinity=False, width=32),
                  st.sampled_from(["合计", "小计", "一、西宁市", "备注：无", "#N/A", "2026.1", "1,2000",
                                   "项目编号", "签约金额（万元）", "单位：万元", "\u200b", "=1+1"]))


@FUZZ
@given(rows=st.lists(st.lists(_CELL, max_size=12), max_size=25),
       merges=st.lists(st.tuples(st.integers(1, 26), st.integers(1, 12), st.integers(0, 3),
                                 st.integers(0, 2)), max_size=4),
       hidden=st.lists(st.integers(1, 26), max_size=4), titles=st.integers(0, 3),
       hidden_sheet=st.booleans())
def test_random_workbooks_with_merges_hidden_rows_and_titles(rows, merges, hidden, titles,
                                                             hidden_sheet):
    """Whatever the layout — titles, merges over anything, hidden rows, a hidden copy — a
    dataset or a clean report."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "签约项目"
    for i in range(titles):
        ws.append([f"标题{i}"])
    ws.append(PROJECTS_HEADER)
    for r in rows:
        ws.append(r)
    for top, left, down, right in merges:
        try:
            ws.merge_cells(start_row=top, start_column=left, end_row=top + down,
                           end_column=left + right)
        except ValueError:
            pass
    for r in hidden:
        ws.row_dimensions[r].hidden = True
    if hidden_sheet:
        copy = wb.copy_worksheet(ws)
        copy.title = "签约项目 (2)"
        ws.sheet_state = "hidden"
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_dataset(Path(tmp) / "d")
        (folder / "签约项目.csv").unlink()
        wb.save(folder / "台账.xlsx")
        loads_or_reports(folder)


@FUZZ
@given(cut=st.integers(min_value=0, max_value=120_000), noise=st.binary(max_size=64))
def test_broken_workbooks(cut, noise):
    real = (SAMPLE / "excel" / "青海省招商台账.xlsx").read_bytes()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        shutil.copy(SAMPLE / "excel" / "config.toml", folder)
        (folder / "台账.xlsx").write_bytes(real[:cut] + noise)
        loads_or_reports(folder)


def workbook(path: Path, projects: list[list], merge: str | None = None,
             empty_sheet: bool = False) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "签约项目"
    ws.append(PROJECTS_HEADER)
    for row in projects:
        ws.append(row)
    if merge:
        ws.merge_cells(merge)
    funds = wb.create_sheet("到位资金")
    funds.append(FUNDS_HEADER)
    for row in SMALL_FUNDS:
        funds.append(row)
    targets = wb.create_sheet("年度目标")
    if not empty_sheet:
        targets.append(TARGETS_HEADER)
        targets.append(["2025", "全省", "签约金额", "10"])
    wb.save(path)


def problems_of(folder: Path) -> list[str]:
    with no_hang():
        try:
            load_dataset(folder)
        except DataError as exc:
            return [str(p) for p in exc.problems if not p.warning]
    return []


@pytest.mark.parametrize("case", ["formula", "hyperlink", "merged", "huge", "nan", "infinity",
                                  "empty sheet", "million characters"])
def test_hostile_workbook_cells(tmp_path, case):
    rows = [list(r) for r in SMALL_PROJECTS]
    merge, empty = None, False
    if case == "formula":
        rows[2][9] = "=1+1"
    elif case == "hyperlink":
        rows[2][1] = '=HYPERLINK("http://169.254.169.254/","点我")'
    elif case == "merged":
        merge = "B3:C4"
    elif case == "huge":
        rows[2][9] = 1e30
    elif case == "nan":
        rows[2][9] = float("nan")
    elif case == "infinity":
        rows[2][9] = float("inf")
    elif case == "empty sheet":
        empty = True
    elif case == "million characters":
        rows[2][1] = "长" * 1_000_000
    folder = write_dataset(tmp_path / "d")
    for f in ("签约项目.csv", "到位资金.csv", "年度目标.csv"):
        (folder / f).unlink()
    workbook(folder / "台账.xlsx", rows, merge, empty)
    found = problems_of(folder)
    expected = {
        "formula": "第4行 “签约金额（万元）”列",  # a formula without a value: blank or not a number
        # openpyxl writes formulas without their results (Excel saves both): read as blank
        "hyperlink": "第4行 “项目名称”列：不能为空",
        "merged": "第4行",  # merged cells leave the others blank
        "huge": "金额过大",
        "nan": "第4行 “签约金额（万元）”列",  # not a number; as the workbook stores it
        "infinity": "第4行 “签约金额（万元）”列",
        "empty sheet": "工作表为空，没有表头",
        "million characters": "内容过长（32767个字符",  # Excel's own limit for a cell
    }[case]
    assert any(expected in p for p in found), found
    assert all("Traceback" not in p for p in found)


def test_million_character_csv_cell(tmp_path):
    rows = [list(r) for r in SMALL_PROJECTS]
    rows[2][1] = "长" * 1_000_000
    folder = write_dataset(tmp_path / "d", projects=rows)
    found = problems_of(folder)
    assert any("签约项目.csv" in p and "单元格内容过长" in p for p in found), found


def test_formula_looking_names_are_printed_and_exported_safely(tmp_path):
    from reports.data import export
    from reports.figures.compute import Period

    rows = [list(r) for r in SMALL_PROJECTS]
    rows[2][1] = '=HYPERLINK("http://x.example/","点我")'
    rows[3][4] = "@SUM(1+1)*cmd|' /C calc'!A0"
    folder = write_dataset(tmp_path / "d", projects=rows)
    ds = load_dataset(folder)
    attached = dict((name, data) for name, data, _ in export.tables(ds, Period(2025, 3)))
    text = attached["projects.csv"].decode("utf-8-sig")
    assert "'=HYPERLINK(" in text and "'@SUM(" in text  # Excel shows text, runs nothing
    # and the attachment loads back to the same names
    back = tmp_path / "back"
    back.mkdir()
    shutil.copy(folder / "config.toml", back)
    for name, data in attached.items():
        (back / name).write_bytes(data)
    names = {p.id: p.name for p in load_dataset(back).projects}
    assert names["P3"] == '=HYPERLINK("http://x.example/","点我")'


names = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)),
                min_size=1, max_size=40)
amounts = st.one_of(st.decimals(min_value=0, max_value=10 ** 9, places=2).map(str),
                    st.sampled_from(["3.5亿", "1,200", "１２３", "-5", "abc", "", "1e9", "0"]))
dates = st.one_of(st.dates().map(lambda d: d.isoformat()),
                  st.sampled_from(["2025-03-05", "2025/2/18", "2025年3月1日", "2025-02-30", "x"]))


@BUILDS
@given(rows=st.lists(st.tuples(names, st.sampled_from(["西宁", "海东", "海西州", "火星"]),
                               st.sampled_from(["新能源", "新材料", "生态旅游", "?"]), names,
                               dates, amounts), min_size=1, max_size=8))
def test_whole_build_ends_in_a_pdf_or_a_clean_report(rows):
    from reports.cli import main

    projects = [[f"F{i}", name, region, industry, investor, "江苏省", "", date, "", amount]
                for i, (name, region, industry, investor, date, amount) in enumerate(rows)]
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_dataset(Path(tmp) / "d", projects=projects, funds=[])
        out = Path(tmp) / "out"
        errors = io.StringIO()
        import contextlib

        with no_hang(120), contextlib.redirect_stderr(errors), \
                contextlib.redirect_stdout(io.StringIO()):
            code = main(["build", "--data", str(folder), "--period", "2025-03", "--out",
                         str(out)])
        assert code in (0, 2), errors.getvalue()
        assert "Traceback" not in errors.getvalue()
        pdfs = list(out.glob("*.pdf")) if out.exists() else []
        if code == 0:
            assert len(pdfs) == 1 and pdfs[0].read_bytes().startswith(b"%PDF-")
        else:
            assert pdfs == [] and "错误" in errors.getvalue()


def test_hundred_thousand_rows(tmp_path):
    """100,000 projects in one period: loaded, checked, and a 附表 of the 3,000 largest
    (ledger_max_rows) instead of four thousand pages."""
    from reports.figures.compute import Period
    from reports.products.briefing import build

    regions, industries = ["西宁", "海东", "海西州"], ["新能源", "新材料", "生态旅游"]
    projects = [[f"Q{i:06d}", f"测试项目{i}", regions[i % 3], industries[i % 7 % 3], f"投资方{i % 997}",
                 "江苏省", "", f"2025-0{1 + i % 3}-1{i % 9}", "", str(100 + i % 5000)]
                for i in range(100_000)]
    folder = write_dataset(tmp_path / "d", projects=projects, funds=[])
    with no_hang(180):
        result = build(folder, Period(2025, 3), tmp_path / "out")
    assert result.pages < 150
    last = result.pdf.read_bytes()
    assert last.startswith(b"%PDF-")
    from pdfcheck import flat, text

    tail = flat(text(result.pdf, result.pages - 1, result.pages))
    assert "合计（全部100000个项目）" in tail
    assert "本期签约项目共100000个，附表列出签约金额最大的3000个" in tail


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20)
    | st.dates(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                  max_size=4),
    max_leaves=12)
KEYS = ["名称", "来访日期", "关注产业", "关注市州", "来源地", "语言", "份数", "联系人", "英文名称"]


@FUZZ
@given(data=st.one_of(st.binary(max_size=600).map(lambda b: b),
                      st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=6), yaml_values,
                                      max_size=9).map(lambda d: __import__("yaml").safe_dump(
                                          d, allow_unicode=True).encode("utf-8"))))
def test_delegation_and_profile_files_survive_anything(data):
    from reports.data.config import load_config
    from reports.data.handout import load_delegation, load_profile

    config = load_config(SAMPLE)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "团.yaml"
        path.write_bytes(data)
        (Path(tmp) / "省情简介.yaml").write_bytes(data)
        with no_hang():
            for load in (lambda: load_delegation(path, config),
                         lambda: load_profile(Path(tmp), config)):
                try:
                    load()
                except (DataError, ConfigError) as exc:
                    assert str(exc)


_REGIONS = ["西宁市", "西宁", "海东市", "海东", "海西州", "632800"]


@FUZZ
@given(projects=st.lists(st.tuples(st.sampled_from(_REGIONS), st.sampled_from(["新能源", "新材料"]),
                                   st.sampled_from(["", "第24届青洽会", "第25届青洽会"]),
                                   st.integers(1, 10**6), st.integers(1, 12)),
                         min_size=1, max_size=15),
       titles=st.integers(0, 2), serial=st.booleans(), blank_every=st.integers(0, 4),
       breaks=st.booleans(), merge_runs=st.booleans(), total=st.booleans(),
       invisible=st.booleans())
def test_cosmetic_messiness_never_changes_the_data(projects, titles, serial, blank_every, breaks,
                                                    merge_runs, total, invisible):
    """The same rows, laid out the ways staff lay them out, read back to the same projects."""
    import openpyxl

    header = ["项目编号", "项目名称", "市州", "产业", "投资方", "签约日期", "签约活动", "签约金额（万元）"]
    rows = [[f"P{i}", f"项目{i}", region, industry, f"投资方{i}", f"2025-{month:02d}-01", event,
             amount] for i, (region, industry, event, amount, month) in enumerate(projects)]
    rows.sort(key=lambda r: r[6])  # runs of one 签约活动, as a fair's rows are kept

    def clean_folder(tmp):
        folder = write_dataset(Path(tmp) / "clean", funds=[])
        (folder / "签约项目.csv").write_bytes(csv_bytes([header] + rows))
        return folder

    shown = [("\n".join(h[i:i + 2] for i in range(0, len(h), 2)) if breaks else h) for h in header]
    messy_rows = [[("\u200b" + c if invisible and isinstance(c, str) and j == 2 else c)
                   for j, c in enumerate(r)] for r in rows]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "签约项目"
    for i in range(titles):
        ws.append(["2025年招商引资台账" if i == 0 else "填报单位：某局"])
    ws.append((["序号"] if serial else []) + shown)
    data_rows = []
    for n, r in enumerate(messy_rows, 1):
        ws.append(([n] if serial else []) + r)
        data_rows.append(ws.max_row)
        if blank_every and n % blank_every == 0:
            ws.append([])
    if total:
        ws.append((["合计"] if serial else ["", "合计"]) + [""] * (len(header) - (1 if serial else 2))
                  + [sum(r[7] for r in rows)])
    if merge_runs:
        c = header.index("签约活动") + 1 + (1 if serial else 0)
        start = 0
        for i in range(1, len(rows) + 1):
            if i == len(rows) or rows[i][6] != rows[start][6]:
                contiguous = data_rows[i - 1] - data_rows[start] == i - 1 - start
                if i - start > 1 and rows[start][6] and contiguous:
                    ws.merge_cells(start_row=data_rows[start], start_column=c,
                                   end_row=data_rows[i - 1], end_column=c)
                start = i
    with tempfile.TemporaryDirectory() as tmp:
        expected = load_dataset(clean_folder(tmp), today=date(2026, 1, 1))
        folder = write_dataset(Path(tmp) / "messy", funds=[])
        (folder / "签约项目.csv").unlink()
        wb.save(folder / "台账.xlsx")
        got = load_dataset(folder, today=date(2026, 1, 1))
    key = [dataclasses.replace(p, row=0) for p in expected.projects]
    assert [dataclasses.replace(p, row=0) for p in got.projects] == key
