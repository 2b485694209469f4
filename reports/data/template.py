"""``report template``: the 台账模板 — a workbook made from config.toml that staff fill in, so
that most mistakes cannot be made in the first place. The only module that imports openpyxl.

The three sheets (签约项目, 到位资金, 年度目标) with their headers and units; dropdowns for
市州, 产业, 企业类别, 建设类型, 项目状态, 资金来源, 范围 and 指标 (lists on a hidden sheet 选项);
a fourth sheet, 代表团, one row per visiting delegation (report delegations reads it), with
dropdowns for 关注产业, 关注市州, 来源地 and 语言;
项目编号 and 月份 formatted as text (so Excel keeps 00123 and 2026-10 as typed); 签约日期 as a
date; amounts as numbers; the header frozen; and a 说明 sheet saying what goes in each column.
The tool reads it back as it is (tests/test_template.py fills it in with the sample data).
Same config → same bytes: no time of day is written.
"""

from __future__ import annotations

import io
import re
import zipfile

from .config import Config
from .delegation import SHEET, sheet_fields
from .model import INDICATORS, KINDS, PROVINCE_SCOPE, SOURCES, STATUSES, TIERS
from .schema import FIELDS, TABLES

ROWS = 3000  # rows with dropdowns and formats
DELEGATION_ROWS = 200  # rows of the 代表团 sheet
FIXED_TIME = "2000-01-01T00:00:00Z"
WIDTHS = {"name": 34, "investor": 28, "event": 22, "origin": 14, "tier": 18, "region": 16,
          "county": 12, "industry": 14, "id": 16, "project_id": 16, "signed_on": 13,
          "month": 11, "scope": 16, "indicator": 14}


def _lists(cfg: Config) -> dict[str, list[str]]:
    """Dropdown choices per field key."""
    from .places import COUNTRIES, PROVINCES

    return {"region": [r.name for r in cfg.regions], "industry": list(cfg.industries),
            "tier": list(TIERS), "kind": list(KINDS), "status": list(STATUSES),
            "source": list(SOURCES), "scope": [PROVINCE_SCOPE] + [r.name for r in cfg.regions],
            "indicator": list(INDICATORS),
            # 代表团: one industry or 市州 chosen, more typed (新能源、新材料); provinces then
            # countries for 来源地
            "industries": list(cfg.industries), "regions": [r.short or r.name for r in cfg.regions],
            "home": list(PROVINCES) + sorted(COUNTRIES), "language": ["zh", "en"]}


def _header(f, key: str, cfg: Config) -> str:
    if not f.money:
        return f.name
    unit = "亿元" if key == "targets" else (cfg.default_unit or "万元")
    return f"{f.name}（{unit}）"


def _reproducible(data: bytes) -> bytes:
    """The workbook again with fixed dates (core.xml and every zip entry)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*",
                                 rb"\g<1>" + FIXED_TIME.encode(), content)
            info = zipfile.ZipInfo(item.filename, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, content)
    return out.getvalue()


def _head(ws, column: int, text: str, width: float, bold, band) -> str:
    """A header cell, its column's width; the column's letter."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    cell = ws.cell(1, column, text)
    cell.font, cell.fill = bold, band
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    letter = get_column_letter(column)
    ws.column_dimensions[letter].width = width
    return letter


def _dropdown(ws, f, formula: str, span: str, several: bool) -> None:
    """A dropdown from the hidden 选项 sheet; ``several``: one chosen, or several typed (中国500强、
    央企), so a value not in the list is only noted."""
    from openpyxl.worksheet.datavalidation import DataValidation

    dv = DataValidation(type="list", formula1=formula, allow_blank=True,
                        showErrorMessage=True, errorTitle="不在列表中",
                        error=f"请从下拉列表中选择{f.name}" + ("（多个用“、”分隔，可直接输入）"
                                                         if several else ""))
    if several:
        dv.errorStyle = "information"
    dv.promptTitle, dv.prompt = f.name, f.note[:250] if f.note else ""
    dv.showInputMessage = bool(f.note)
    ws.add_data_validation(dv)
    dv.add(span)


def _delegation_sheet(wb, ranges: dict, bold, band) -> None:
    """代表团: one row per visiting delegation, as report delegations reads it."""
    ws = wb.create_sheet(SHEET)
    widths = {"name": 26, "name_en": 34, "visit_date": 12, "industries": 22, "regions": 14,
              "home": 12, "language": 8, "copies": 8, "contact": 10, "contact_en": 16,
              "title": 20, "title_en": 28, "phone": 16, "email": 24, "file_name": 20}
    for c, f in enumerate(sheet_fields(), 1):
        letter = _head(ws, c, f.name, widths.get(f.key, 14), bold, band)
        if f.key in ranges:
            _dropdown(ws, f, ranges[f.key], f"{letter}2:{letter}{DELEGATION_ROWS + 1}",
                      several=f.key in ("industries", "regions"))
        if f.key == "visit_date":
            for r in range(2, DELEGATION_ROWS + 2):
                ws.cell(r, c).number_format = "yyyy-mm-dd"
        if f.key in ("phone", "file_name"):
            for r in range(2, DELEGATION_ROWS + 2):
                ws.cell(r, c).number_format = "@"
    ws.freeze_panes = "B2"
    ws.row_dimensions[1].height = 30


def template_workbook(cfg: Config) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    wb.remove(wb.active)
    lists = _lists(cfg)
    notes = wb.create_sheet("说明")
    options = wb.create_sheet("选项")
    ranges = {}
    for c, (key, items) in enumerate(lists.items(), 1):
        options.cell(1, c, key)
        for r, item in enumerate(items, 2):
            options.cell(r, c, item)
        col = get_column_letter(c)
        ranges[key] = f"选项!${col}$2:${col}${len(items) + 1}"
    options.sheet_state = "hidden"
    bold, band = Font(bold=True), PatternFill("solid", fgColor="EEF1F5")
    for key in ("projects", "funds", "targets"):
        ws = wb.create_sheet(TABLES[key][0])
        for c, f in enumerate((f for f in FIELDS[key] if f.template), 1):
            letter = _head(ws, c, _header(f, key, cfg), WIDTHS.get(f.key, 14), bold, band)
            span = f"{letter}2:{letter}{ROWS + 1}"
            if f.key in lists:
                _dropdown(ws, f, ranges[f.key], span, several=f.key == "tier")
            fmt = {"id": "@", "project_id": "@", "month": "@", "signed_on": "yyyy-mm-dd",
                   "year": "0"}.get(f.key) or ("#,##0.00" if f.money else None)
            if fmt:
                for r in range(2, ROWS + 2):
                    ws.cell(r, c).number_format = fmt
            if f.key == "signed_on":
                dv = DataValidation(type="date", operator="between", formula1="DATE(2000,1,1)",
                                    formula2="DATE(2099,12,31)", allow_blank=True,
                                    errorTitle="日期有误", error="请输入日期，如 2026-03-18")
                ws.add_data_validation(dv)
                dv.add(span)
            if f.money:
                dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0",
                                    allow_blank=True, errorStyle="warning",
                                    errorTitle="金额有误", error="金额应为不小于0的数字")
                ws.add_data_validation(dv)
                dv.add(span)
        ws.freeze_panes = "A2"
        ws.row_dimensions[1].height = 30
    _delegation_sheet(wb, ranges, bold, band)
    notes.append(["招商引资台账模板", "", "", ""])
    notes["A1"].font = Font(bold=True, size=14)
    notes.append([f"{cfg.province} · {cfg.publisher}：按 config.toml 生成，用 report validate 检查，"
                  "用 report build 生成简报。"])
    notes.append([])
    for line in ("每行一个项目（到位资金表：每个项目每月一行）；不要合并单元格、不要隐藏行、不要加合计行。",
                 "项目编号、月份两列已设为文本格式：请直接输入 QH2026-001、2026-10，不要写成 2026.10。",
                 "市州、产业等列可从下拉列表中选择；金额单位见各列表头。"):
        notes.append([line])
    for r in range(2, notes.max_row + 1):  # the lines above the table: across its width
        notes.merge_cells(start_row=r, start_column=1, end_row=r, end_column=4)
        notes.cell(r, 1).alignment = Alignment(wrap_text=True, vertical="top")
        notes.row_dimensions[r].height = 30
    notes.append([])
    notes.append(["表", "列", "必填", "说明"])
    for cell in notes[notes.max_row]:
        cell.font, cell.fill = bold, band
    for key in ("projects", "funds", "targets"):
        for f in (f for f in FIELDS[key] if f.template):
            notes.append([TABLES[key][0], _header(f, key, cfg), "是" if f.required else "",
                          f.note])
    for f in sheet_fields():
        notes.append([SHEET, f.name, "是" if f.required else "", f.note])
    for letter, width in zip("ABCD", (12, 22, 6, 80)):
        notes.column_dimensions[letter].width = width
    for ws in wb.worksheets:  # printed: landscape, one page wide
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    buffer = io.BytesIO()
    wb.save(buffer)
    return _reproducible(buffer.getvalue())
