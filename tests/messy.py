"""A corpus of messy ledgers, made from the sample data the way staff really keep them in Excel
and WPS: title rows, two-row merged headers, merged cells, hidden sheets and rows, 合计 rows,
numeric months, broken CSV rows, invisible characters, legacy .xls, and more.

Each variant is a data folder and an expectation: either the clean sample's figures exactly
(``SAME``), or an error whose text contains the given words. tests/test_messy.py builds and
checks every one; ``python tests/messy.py OUT`` writes the corpus for a look in Excel or WPS.
"""

from __future__ import annotations

import csv
import io
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data"
SAME = "same"
NAMES = {"projects": "签约项目", "funds": "到位资金", "targets": "年度目标"}


def sample_tables() -> dict[str, list[list[str]]]:
    """The sample's three tables as rows of text (header first), blank rows dropped."""
    from reports.data.csvfile import decode_csv

    out = {}
    for key, name in NAMES.items():
        text, _ = decode_csv((SAMPLE / f"{name}.csv").read_bytes())
        out[key] = [r for r in csv.reader(io.StringIO(text)) if any(c.strip() for c in r)]
    return out


def number(text: str):
    """A cell as Excel would hold it once typed: numbers as numbers, the rest as text."""
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        return text
    return int(value) if value.is_integer() and "." not in text else value


@dataclass
class Variant:
    name: str
    expect: str  # SAME, or words the error (or warning, with ``warning``) must contain
    make: Callable[[Path, dict], None]
    warning: bool = False  # the words are in a warning; the run goes on
    config: tuple[tuple[str, str], ...] = ()  # (old, new) replacements in the sample config


NO_DEFAULT_UNIT = (('default_unit = "万元"', ""),)
EXCLUDE_HIDDEN = (("[data]\n", '[data]\nhidden_rows = "exclude"\n'),)


def _config(folder: Path, changes=()) -> None:
    text = (SAMPLE / "config.toml").read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    (folder / "config.toml").write_text(text, encoding="utf-8")


def _csv(path: Path, rows, encoding="utf-8-sig") -> None:
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))


def _workbook(path: Path, sheets: dict[str, list[list]], tweak=None, numbers=True) -> None:
    """An .xlsx with these sheets; ``tweak(wb)`` adds merges, hidden rows, formulas."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append([number(c) if numbers and isinstance(c, str) else c for c in r])
    if tweak:
        tweak(wb)
    wb.save(path)


def _plain(t):
    return {NAMES[k]: v for k, v in t.items()}


# -- the variants ---------------------------------------------------------------------------
def xlsx_plain(folder, t):
    _workbook(folder / "台账.xlsx", _plain(t))


def title_rows(folder, t):
    """A title, a 填报单位 line and a 单位：万元 line above each header; the amount header
    without its unit (the title row gives it)."""
    sheets = {}
    for key, rows in t.items():
        header = [h.replace("（万元）", "") if key != "targets" else h for h in rows[0]]
        top = [[f"2026年青海省招商引资{NAMES[key]}台账"], ["填报单位：青海省投资促进局", "", "",
                                                       "填报日期：2026年11月5日"],
               ["单位：万元"] if key != "targets" else []]
        sheets[NAMES[key]] = top + [header] + rows[1:]

    def merge(wb):
        for ws in wb.worksheets:
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=8)
    _workbook(folder / "台账.xlsx", sheets, merge)


def two_row_header(folder, t):
    """签约 over 日期 | 金额（万元）, 投资方 over 名称 | 所在地, the other headers merged down."""
    p = t["projects"]
    h = p[0]
    top, bottom = list(h), [""] * len(h)
    i_inv, i_date = h.index("投资方"), h.index("签约日期")
    i_amount = h.index("签约金额（万元）")
    top[i_inv], top[i_inv + 1], bottom[i_inv], bottom[i_inv + 1] = "投资方", "", "名称", "所在地"
    # 签约日期 … 签约金额 are not adjacent in the sample: move 签约活动 out of their way
    order = [i for i in range(len(h)) if i not in (i_date, i_amount)]
    order.insert(order.index(h.index("签约活动")) + 1, i_date)
    order.insert(order.index(i_date) + 1, i_amount)
    top, bottom = [top[i] for i in order], [bottom[i] for i in order]
    j = order.index(i_date)
    top[j], top[j + 1], bottom[j], bottom[j + 1] = "签约", "", "日期", "金额（万元）"
    rows = [[r[i] for i in order] for r in p[1:]]

    def merge(wb):
        ws = wb["签约项目"]
        for c in range(1, len(top) + 1):
            if not bottom[c - 1]:
                ws.merge_cells(start_row=1, start_column=c, end_row=2, end_column=c)
        a = order.index(i_inv) + 1
        ws.merge_cells(start_row=1, start_column=a, end_row=1, end_column=a + 1)
        ws.merge_cells(start_row=1, start_column=j + 1, end_row=1, end_column=j + 2)
    _workbook(folder / "台账.xlsx", {"签约项目": [top, bottom] + rows, "到位资金": t["funds"],
                                    "年度目标": t["targets"]}, merge)


def two_row_header_csv(folder, t):
    """The same two-row header as Excel saves it to CSV: merges lost, the top cell alone."""
    p = t["projects"]
    h = p[0]
    i_inv = h.index("投资方")
    top, bottom = list(h), [""] * len(h)
    top[i_inv + 1], bottom[i_inv], bottom[i_inv + 1] = "", "名称", "所在地"
    _csv(folder / "签约项目.csv", [top, bottom] + p[1:])
    _csv(folder / "到位资金.csv", t["funds"])
    _csv(folder / "年度目标.csv", t["targets"])


def _sorted_by(rows, column):
    i = rows[0].index(column)
    return [rows[0]] + sorted(rows[1:], key=lambda r: (r[i] == "", r[i]))


def merged_cells(folder, t):
    """签约活动 and 市州 merged over runs of equal values (as staff format a fair's rows)."""
    p = _sorted_by(t["projects"], "签约活动")

    def merge(wb):
        ws = wb["签约项目"]
        for column in ("签约活动", "市州"):
            c = p[0].index(column)
            start = 1
            for r in range(2, len(p) + 1):
                same = r < len(p) and p[r][c] == p[start][c] and p[r][c]
                if not same:
                    if r - start > 1 and p[start][c]:
                        ws.merge_cells(start_row=start + 1, start_column=c + 1, end_row=r,
                                       end_column=c + 1)
                    start = r
    _workbook(folder / "台账.xlsx", {"签约项目": p, "到位资金": t["funds"], "年度目标": t["targets"]},
              merge)


def merged_amount(folder, t):
    def merge(wb):
        c = t["projects"][0].index("签约金额（万元）") + 1
        wb["签约项目"].merge_cells(start_row=5, start_column=c, end_row=6, end_column=c)
    _workbook(folder / "台账.xlsx", _plain(t), merge)


def line_break_headers(folder, t):
    p = [list(r) for r in t["projects"]]
    p[0] = [{"投资方所在地": "投资方\n所在地", "企业类别": "企业\n类别", "签约金额（万元）": "签约金额\n（万元）"
             }.get(h, h) for h in p[0]]
    _workbook(folder / "台账.xlsx", {"签约项目": p, "到位资金": t["funds"], "年度目标": t["targets"]})


def stale_hidden_sheet(folder, t):
    """A hidden, stale 签约项目 beside the visible 签约项目 (2) that holds the data."""
    stale = t["projects"][:50]

    def hide(wb):
        wb["签约项目"].sheet_state = "hidden"
    _workbook(folder / "台账.xlsx", {"签约项目": stale, "签约项目 (2)": t["projects"],
                                    "到位资金": t["funds"], "年度目标": t["targets"]}, hide)


def _with_terminated(t):
    """Three terminated projects added below the data, as staff keep them: hidden."""
    p = [list(r) for r in t["projects"]]
    extra = []
    for i in range(3):
        r = list(p[1 + i])
        r[0] = f"QH2026-T{i}"
        r[p[0].index("签约日期")] = "2026-09-01"
        extra.append(r)
    return p + extra, len(p) + 1


def hidden_rows(folder, t, config=""):
    p, first = _with_terminated(t)

    def hide(wb):
        for r in range(first, first + 3):
            wb["签约项目"].row_dimensions[r].hidden = True
    _workbook(folder / "台账.xlsx", {"签约项目": p, "到位资金": t["funds"], "年度目标": t["targets"]},
              hide)


def autofilter(folder, t):
    """An active filter on 市州 (only 西宁市 shown): the other rows are hidden by it, not
    hidden data."""
    p = t["projects"]
    c = p[0].index("市州")

    def filter_(wb):
        ws = wb["签约项目"]
        ws.auto_filter.ref = f"A1:M{len(p)}"
        ws.auto_filter.add_filter_column(c, ["西宁市"])
        for r in range(2, len(p) + 1):
            if p[r - 1][c] != "西宁市":
                ws.row_dimensions[r].hidden = True
    _workbook(folder / "台账.xlsx", _plain(t), filter_)


def numeric_months(folder, t):
    """月份 typed as numbers: 2026.10 becomes 2026.1."""
    f = [t["funds"][0]] + [[r[0], float(r[1].replace("-", ".")) if r[1][:4].isdigit() and
                            "-" in r[1] else r[1], r[2], r[3]] for r in t["funds"][1:]]
    _workbook(folder / "台账.xlsx", {"签约项目": t["projects"], "到位资金": f, "年度目标": t["targets"]},
              numbers=False)


def totals_rows(folder, t, wrong=False):
    """Projects grouped by 市州 under titles (一、西宁市), a 小计 after each group and a 合计 at
    the end — as a report is printed. ``wrong``: the 合计 is off by 1万元."""
    from reports.data.values import parse_amount

    p = t["projects"]
    c_region, c_amount = p[0].index("市州"), p[0].index("签约金额（万元）")
    groups: dict[str, list] = {}
    for r in p[1:]:
        groups.setdefault(r[c_region][:2], []).append(r)  # 西宁 = 西宁市
    rows, total = [p[0]], 0
    numerals = "一二三四五六七八九十"
    for n, (region, items) in enumerate(groups.items()):
        rows.append([f"{numerals[n]}、{region}"])
        rows += items
        s = sum(parse_amount(r[c_amount], "万元") for r in items) / 10000
        total += s
        sub = [""] * len(p[0])
        sub[0], sub[c_amount] = "小计", format(s, "f")
        rows.append(sub)
    last = [""] * len(p[0])
    last[0], last[c_amount] = "合计", format(total + (1 if wrong else 0), "f")
    rows += [last, ["备注：金额单位为万元。"], ["填表人：张三", "", "审核人：李四"]]
    _workbook(folder / "台账.xlsx", {"签约项目": rows, "到位资金": t["funds"], "年度目标": t["targets"]})


def prefilled_template(folder, t):
    """A template numbered to row 500 in a 序号 column, mostly empty."""
    p = [["序号"] + t["projects"][0]] + [[str(i)] + r for i, r in enumerate(t["projects"][1:], 1)]
    p += [[str(i)] for i in range(len(p), 500)]
    _workbook(folder / "台账.xlsx", {"签约项目": p, "到位资金": t["funds"], "年度目标": t["targets"]})


def lost_zeros(folder, t):
    """Numeric 项目编号 typed with leading zeros: kept as text in one sheet, turned into
    numbers by Excel in the other."""
    ids = {r[0]: f"{i:05d}" for i, r in enumerate(t["projects"][1:], 1)}
    p = [t["projects"][0]] + [[ids[r[0]]] + r[1:] for r in t["projects"][1:]]
    f = [t["funds"][0]] + [[int(ids[r[0]])] + r[1:] for r in t["funds"][1:]]
    _workbook(folder / "台账.xlsx", {"签约项目": p, "到位资金": f, "年度目标": t["targets"]},
              numbers=False)


def formula_no_result(folder, t):
    """Amounts as formulas saved by a program that never calculated them (openpyxl)."""
    p = [list(r) for r in t["projects"]]
    c = p[0].index("签约金额（万元）")
    p[3][c] = "=1000*2"
    _workbook(folder / "台账.xlsx", {"签约项目": p, "到位资金": t["funds"], "年度目标": t["targets"]})


def invisible_characters(folder, t):
    """Zero-width spaces (from WeChat), no-break spaces and a BOM in names and ids."""
    p = [list(r) for r in t["projects"]]
    c = p[0].index("市州")
    for i, r in enumerate(p[1:], 1):
        if i % 3 == 0:
            r[c] = r[c] + "\u200b"
        if i % 5 == 0:
            r[0] = "\ufeff" + r[0] + "\u00a0"
    f = [list(r) for r in t["funds"]]
    for r in f[1::7]:
        r[0] = r[0] + "\u200c"
    _workbook(folder / "台账.xlsx", {"签约项目": p, "到位资金": f, "年度目标": t["targets"]})


def legacy_xls(folder, t, hide=False):
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    for key, rows in t.items():
        ws = wb.add_sheet(NAMES[key])
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                ws.write(r, c, number(value))
    if hide:
        ws = wb.get_sheet(0)
        ws.write(len(t["projects"]), 0, "QH2026-X")  # a hidden row holding a project
        for c, value in enumerate(t["projects"][1][1:], 1):
            ws.write(len(t["projects"]), c, number(value))
        ws.row(len(t["projects"])).hidden = True
    wb.save(str(folder / "台账.xls"))


def lookalike_file(folder, t):
    """The new table saved as 签约项目(1).csv beside the old 签约项目.csv."""
    _csv(folder / "签约项目.csv", t["projects"][:100])
    _csv(folder / "签约项目(1).csv", t["projects"])
    _csv(folder / "到位资金.csv", t["funds"])
    _csv(folder / "年度目标.csv", t["targets"])


def csv_extra_field(folder, t):
    """A hand-edited CSV row: an amount with a thousands comma, unquoted."""
    _csv(folder / "签约项目.csv", t["projects"])
    lines = [",".join(r) for r in t["funds"]]
    lines[1] = "QH2024-00001,2024-11,2,675.83,"
    (folder / "到位资金.csv").write_text("\r\n".join(lines) + "\r\n", encoding="utf-8-sig")
    _csv(folder / "年度目标.csv", t["targets"])


def csv_multiline(folder, t):
    """Project names with line breaks (Alt+Enter) in a CSV, quoted as Excel writes them: the
    rows keep the numbers Excel shows (an error below them names row 12, not a text line)."""
    p = [list(r) for r in t["projects"]]
    for r in p[1:11]:
        r[1] = r[1][:2] + "\n" + r[1][2:]
    p[11][p[0].index("产业")] = "航天"
    _csv(folder / "签约项目.csv", p, encoding="gb18030")
    _csv(folder / "到位资金.csv", t["funds"])
    _csv(folder / "年度目标.csv", t["targets"])


def csv_bom_gbk(folder, t):
    """A GBK file that an editor gave a UTF-8 BOM."""
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows(t["projects"])
    (folder / "签约项目.csv").write_bytes(b"\xef\xbb\xbf" + buf.getvalue().encode("gbk"))
    _csv(folder / "到位资金.csv", t["funds"])
    _csv(folder / "年度目标.csv", t["targets"])


def _csv_all(folder, t, projects=None, funds=None):
    _csv(folder / "签约项目.csv", projects or t["projects"])
    _csv(folder / "到位资金.csv", funds or t["funds"])
    _csv(folder / "年度目标.csv", t["targets"])


def one_cell(key: str, row: int, column: str | int, value: str):
    """A variant that changes one cell of the sample (``row`` 0 is the header; ``column`` a
    header or an index), written as CSV."""
    def make(folder, t):
        rows = [list(r) for r in t[key]]
        c = column if isinstance(column, int) else rows[0].index(column)
        rows[row][c] = value
        _csv_all(folder, t, **{key: rows})
    return make


# 1,2000 for 12,000; a date serial typed as text; a look-alike header; 1.5万亿元 for one
# tourism project (a unit typed wrong: legal, implausible); a typo in 投资方所在地 (江宁 for
# 江苏: not a place, and never silently 境外)
bad_comma = one_cell("funds", 5, 2, "1,2000")
serial_as_text = one_cell("projects", 4, "签约日期", "45678")
resembling_header = one_cell("projects", 0, "投资方所在地", "投资方所在地区")
huge_amount = one_cell("projects", 5, "签约金额（万元）", "1.5万亿")
unknown_origin = one_cell("projects", 9, "投资方所在地", "江宁")


def error_value(folder, t):
    """投资方所在地 looked up with VLOOKUP, one of them #N/A: read as empty it would move that
    project's funds from 省外 to nowhere."""
    p = [list(r) for r in t["projects"]]
    p[7][p[0].index("投资方所在地")] = "#N/A"
    _workbook(folder / "台账.xlsx", {"签约项目": p, "到位资金": t["funds"], "年度目标": t["targets"]})


def total_like_names(folder, t):
    """Projects whose names start like a 合计 or a 备注 line (总计划…, 备注…): data all the same."""
    p = [list(r) for r in t["projects"]]
    p[0] = ["项目名称", "项目编号"] + p[0][2:]  # the name first, where 合计 would be written
    p[1:] = [[r[1], r[0]] + r[2:] for r in p[1:]]
    p[2][0] = "总计划投资" + p[2][0]
    p[3][0] = "备注" + p[3][0]
    p[4][0] = "一、" + p[4][0]
    _csv_all(folder, t, projects=p)


def staff_spellings(folder, t):
    """What staff type for the same things: 海西 for 海西州, 新能源产业, the lists' official names
    (中国企业500强, 中央企业), 本省 for 青海省, dates with spaces and 号."""
    p = [list(r) for r in t["projects"]]
    h = p[0]
    c = {k: h.index(k) for k in ("市州", "产业", "企业类别", "投资方所在地", "签约日期")}
    names = {"中国500强": "中国企业500强", "民营500强": "中国民营企业500强", "央企": "中央企业",
             "世界500强": "世界五百强"}
    for i, r in enumerate(p[1:]):
        if r[c["市州"]] in ("海西州", "海北州", "果洛州") and i % 2:
            r[c["市州"]] = r[c["市州"]][:2]
        if i % 3 == 0:
            r[c["产业"]] += "产业"
        r[c["企业类别"]] = "、".join(names.get(x, x) for x in r[c["企业类别"]].split("、") if x)
        if r[c["投资方所在地"]] == "青海省":
            r[c["投资方所在地"]] = "本省"
        d = r[c["签约日期"]]
        if "年" in d and i % 2:
            r[c["签约日期"]] = d.replace("年", " 年 ").replace("月", " 月 ").replace("日", " 号")
    _csv_all(folder, t, projects=p)


def year_and_month_columns(folder, t):
    """到位资金 with a 年份 column and months as 10 or 10月."""
    from reports.data.values import parse_month

    rows = [["项目编号", "年份", "月份", "到位资金（万元）", "资金来源"]]
    for i, r in enumerate(t["funds"][1:]):
        y, m = parse_month(r[1])
        rows.append([r[0], y, m if i % 2 else f"{m}月", number(r[2]), r[3]])
    _workbook(folder / "台账.xlsx", {"签约项目": t["projects"], "到位资金": rows,
                                    "年度目标": t["targets"]}, numbers=False)


def months_as_columns(folder, t):
    """到位资金 kept as one row per project, a column per month."""
    rows = [["项目编号"] + [f"{m}月" for m in range(1, 13)]]
    rows += [[r[0]] + [""] * 12 for r in t["projects"][1:]]
    _csv_all(folder, t, funds=rows)


def english_key_row(folder, t):
    """A second header row of English keys, as another system exports it."""
    keys = {"项目编号": "id", "项目名称": "name", "市州": "region", "县区": "county", "产业": "industry",
            "投资方": "investor", "投资方所在地": "origin", "企业类别": "tier", "签约日期": "signed_on",
            "签约活动": "event", "签约金额（万元）": "amount", "建设类型": "kind", "项目状态": "status"}
    p = t["projects"]
    _csv_all(folder, t, projects=[p[0], [keys[h] for h in p[0]]] + p[1:])


def tier_flag_columns(folder, t):
    """企业类别 kept as one yes/no column per list (是否世界500强: √)."""
    p = t["projects"]
    h, i = p[0], p[0].index("企业类别")
    tiers = ["世界500强", "中国500强", "民营500强", "全球独角兽500强", "央企"]
    rows = [h[:i] + [f"是否{x}" for x in tiers] + h[i + 1:]]
    rows += [r[:i] + ["√" if x in r[i].split("、") else "" for x in tiers] + r[i + 1:]
             for r in p[1:]]
    _workbook(folder / "台账.xlsx", {"签约项目": rows, "到位资金": t["funds"], "年度目标": t["targets"]})


def unknown_source(folder, t):
    """Projects with neither 投资方所在地 nor a 资金来源 for their funds: not silently left out
    of 省外到位资金."""
    p = [list(r) for r in t["projects"]]
    for r in p[1:40]:
        r[p[0].index("投资方所在地")] = ""
    _csv_all(folder, t, projects=p)


def one_sheet_per_year(folder, t):
    """签约项目 kept as one sheet a year."""
    p = t["projects"]
    c = p[0].index("签约日期")
    by_year = {y: [p[0]] + [r for r in p[1:] if r[c].startswith(y)] for y in ("2024", "2025", "2026")}
    _workbook(folder / "台账.xlsx", {**{f"{y}年签约项目": rows for y, rows in by_year.items()},
                                    "到位资金": t["funds"], "年度目标": t["targets"]})


def hidden_column(folder, t):
    """投资方所在地 hidden (to print a narrower sheet): still data."""
    def hide(wb):
        c = t["projects"][0].index("投资方所在地")
        wb["签约项目"].column_dimensions[chr(65 + c)].hidden = True
    _workbook(folder / "台账.xlsx", _plain(t), hide)


def yuan_in_wan_column(folder, t):
    """Amounts typed in 元 under a 万元 header: every figure 10,000 times too large."""
    from reports.data.values import parse_amount

    f = [list(r) for r in t["funds"]]
    for r in f[1:]:
        r[2] = format(parse_amount(r[2], "元"), "f")
    for r in f[1:]:
        r[2] = format(parse_amount(r[2], "万元"), "f")  # 元 figures under the 万元 header
    _csv_all(folder, t, funds=f)


def flood(folder, t):
    """Every fund row of an unknown project (the 签约项目 header lost a column): one error,
    not thousands."""
    p = [r[:1] + r[2:] for r in t["projects"]]  # no 项目名称
    _csv_all(folder, t, projects=p)


VARIANTS = [
    Variant("xlsx_plain", SAME, xlsx_plain),
    Variant("title_rows", SAME, title_rows, config=NO_DEFAULT_UNIT),
    Variant("two_row_header", SAME, two_row_header),
    Variant("two_row_header_csv", SAME, two_row_header_csv),
    Variant("merged_cells", SAME, merged_cells),
    Variant("merged_amount", "金额是一个合并单元格", merged_amount),
    Variant("line_break_headers", SAME, line_break_headers),
    Variant("stale_hidden_sheet", SAME, stale_hidden_sheet),
    Variant("hidden_rows", "隐藏行（共3行）", hidden_rows),
    Variant("hidden_rows_excluded", SAME, hidden_rows, config=EXCLUDE_HIDDEN),
    Variant("autofilter", SAME, autofilter),
    Variant("numeric_months", "无法分辨是1月还是10月", numeric_months),
    Variant("totals_rows", SAME, totals_rows),
    Variant("totals_wrong", "合计与明细不符", lambda f, t: totals_rows(f, t, wrong=True)),
    Variant("prefilled_template", SAME, prefilled_template),
    Variant("lost_zeros", "Excel 可能去掉了前导零", lost_zeros),
    Variant("formula_no_result", "请在 Excel/WPS 中打开并保存后再试", formula_no_result),
    Variant("invisible_characters", SAME, invisible_characters),
    Variant("legacy_xls", SAME, legacy_xls),
    Variant("legacy_xls_hidden_row", "隐藏行（共1行）", lambda f, t: legacy_xls(f, t, hide=True)),
    Variant("lookalike_file", "有2个可能是“签约项目”的表", lookalike_file),
    Variant("csv_extra_field", "比表头多1个", csv_extra_field),
    Variant("csv_multiline", "签约项目.csv 第12行 “产业”列：值“航天”", csv_multiline),
    Variant("csv_bom_gbk", SAME, csv_bom_gbk),
    Variant("bad_comma", "数字中的逗号位置不对", bad_comma),
    Variant("serial_as_text", "像是 Excel 的日期序号写成了文本", serial_as_text),
    Variant("resembling_header", "表头“投资方所在地区”像是“投资方所在地”列", resembling_header),
    Variant("huge_amount", "签约金额1.50万亿元", huge_amount, warning=True),
    Variant("flood", "缺少必填列“项目名称”", flood),
    Variant("hidden_column", SAME, hidden_column),
    Variant("error_value", "显示错误值 #N/A（公式出错）", error_value),
    Variant("total_like_names", SAME, total_like_names),
    Variant("staff_spellings", SAME, staff_spellings),
    Variant("year_and_month_columns", SAME, year_and_month_columns),
    Variant("months_as_columns", "月份是按列排的", months_as_columns),
    Variant("english_key_row", SAME, english_key_row),
    Variant("unknown_origin", "不是已知的省份或国家", unknown_origin),
    Variant("tier_flag_columns", SAME, tier_flag_columns),
    Variant("unknown_source", "无法确定资金来源", unknown_source, warning=True),
    Variant("one_sheet_per_year", "“签约项目”按年度分成了3个表", one_sheet_per_year),
    Variant("yuan_in_wan_column", "像是按“元”填写的数字放在了以“万元”或“亿元”为单位的列中",
            yuan_in_wan_column, warning=True),
]


def build(variant: Variant, folder: Path) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    _config(folder, variant.config)
    variant.make(folder, sample_tables())
    return folder


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "build/messy")
    for v in VARIANTS:
        print(build(v, out / v.name))
