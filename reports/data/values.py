"""Parsers for what staff type into cells: amounts, dates, months, lists.

Each parser takes the raw cell (str, int, float, date or datetime, as CSV or Excel gives
it) and returns a typed value, or raises ``ValueError`` whose text says in Chinese what is
wrong. Amounts are ``Decimal`` in 元 (yuan); no float ever reaches a total.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

UNIT_FACTORS = {
    "元": Decimal(1),
    "万元": Decimal(10_000),
    "亿元": Decimal(100_000_000),
    "万亿元": Decimal(1_000_000_000_000),
}
# Largest amount we accept in one cell: 100万亿元 — far above any project, far below
# anything that would overflow a layout; a guard against 1e30 typed by mistake.
MAX_AMOUNT = Decimal(10) ** 14

_AMOUNT = re.compile(r"^([+-]?)(\d+(?:\.\d*)?|\.\d+)(万亿|亿|万)?(元)?$")
_ONE = Decimal(1)
_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?(?:万亿|亿|万)?元?$")
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_MONTH_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月?(?:份)?$"),
    re.compile(r"^(\d{4})(\d{2})$"),
)
_EXCEL_EPOCH = date(1899, 12, 30)
_LIST_SPLIT = re.compile(r"[、,，;；/／\s]+")


_LINE_BREAK = re.compile(r"\s*[\r\n]+\s*")
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef（）《》「」、，。；：？！]")


def _invisible(ch: str) -> bool:
    """Zero-width spaces and joiners, BOMs, bidi marks, soft hyphens, control characters:
    pasted from WeChat or a web page, they make 海南州 differ from 海南州."""
    return unicodedata.category(ch) in ("Cf", "Cc") and ch not in "\t\n\r"


def _join(m: re.Match, text: str) -> str:
    """A line break inside a cell (Alt+Enter): nothing between Chinese characters, a space
    between Latin words."""
    before = text[m.start() - 1] if m.start() else ""
    after = text[m.end()] if m.end() < len(text) else ""
    return "" if _CJK.match(before) or _CJK.match(after) or not before or not after else " "


def clean_text(raw, fold: bool = True) -> str:
    """A cell as text, surrounding whitespace (also the ideographic space) removed, invisible
    characters dropped, line breaks inside the cell joined as the text reads.

    With ``fold`` (for numbers, dates, codes and names looked up in a list), full-width
    forms are folded by NFKC: ``１２３．５`` → ``123.5``. Free text such as a project name
    keeps its full-width punctuation — ``（二期）`` is correct Chinese typography.
    """
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = str(raw)
    if not text.isprintable():
        text = "".join(ch for ch in text if not _invisible(ch))
        if "\n" in text or "\r" in text:
            text = _LINE_BREAK.sub(lambda m: _join(m, text), text)
    if fold:
        text = unicodedata.normalize("NFKC", text)
    text = text.replace("\u3000", " ").strip()
    if text.startswith("'") and text[1:2] in ("=", "+", "-", "@"):
        text = text[1:]  # Excel's text mark, as our CSV attachments write it (export.py)
    return text


def is_blank(raw) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _float_to_decimal(value: float) -> Decimal:
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError("不是有效的数字")
    if value.is_integer() and abs(value) < 2 ** 53:
        return Decimal(int(value))  # 283800.0 from Excel is 283800, as typed in a CSV
    # repr() is the shortest text that round-trips: 3.5 → "3.5", not 3.49999…
    return Decimal(repr(value))


_AMOUNT_NOISE = re.compile(r"[\s'’_]")  # spaces and digit group marks in a typed amount


def parse_amount(raw, unit: str = "元") -> Decimal:
    """An amount in 元. ``unit`` is the column's unit (from its header); a unit typed in the
    cell (``3.5亿``, ``3500万元``, ``120元``) wins over it."""
    factor = UNIT_FACTORS[unit]
    if isinstance(raw, bool):
        raise ValueError("不是有效的金额")
    if isinstance(raw, int):
        number = Decimal(raw)
    elif isinstance(raw, float):
        number = _float_to_decimal(raw)
    elif isinstance(raw, Decimal):
        number = raw
    else:
        text = clean_text(raw)
        text = _AMOUNT_NOISE.sub("", text).lstrip("¥￥").removeprefix("RMB").removeprefix("CNY")
        if "," in text:
            if not _GROUPED.match(text):
                raise ValueError("数字中的逗号位置不对：千分位逗号应每三位一个（如 12,000）；"
                                 "如果逗号是小数点，请改为“.”")
            text = text.replace(",", "")
        m = _AMOUNT.match(text)
        if not m:
            raise ValueError("不是有效的金额（应为数字，可带“万”“亿”单位，如 3.5亿、3500万）")
        sign, digits, cell_unit, _yuan = m.groups()
        number = Decimal(sign + digits)
        if cell_unit:
            factor = UNIT_FACTORS[cell_unit + "元"]
    if not number.is_finite():
        raise ValueError("不是有效的数字")
    value = number * factor
    if value < 0:
        raise ValueError("金额不能为负数")
    if value > MAX_AMOUNT:
        raise ValueError("金额过大（超过100万亿元），请检查单位")
    # one form for one amount: 1.5亿 and 15000万 are both 150000000 (not 150000000.0)
    return value.quantize(_ONE) if value == value.to_integral_value() else value.normalize()


def parse_count(raw) -> Decimal:
    """A whole number (a target such as 签约项目数)."""
    if isinstance(raw, bool):
        raise ValueError("不是有效的数量")
    text = clean_text(raw).replace(",", "").removesuffix("个")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError("不是有效的数量（应为整数）") from None
    if not value.is_finite() or value != value.to_integral_value():
        raise ValueError("不是有效的数量（应为整数）")
    if value < 0:
        raise ValueError("数量不能为负数")
    return value


def _from_excel_serial(raw) -> date | None:
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and 20_000 <= raw <= 80_000:
        return _EXCEL_EPOCH + timedelta(days=int(raw))
    return None


def parse_date(raw) -> date:
    """``2024-02-18``, ``2024/2/18``, ``2024.2.18``, ``2024年2月18日``, ``20240218``, an
    Excel date, or an Excel serial number."""
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    serial = _from_excel_serial(raw)
    if serial:
        return serial
    text = clean_text(raw)
    text = re.sub(r"\s+0{1,2}:0{1,2}(:0{1,2})?$", "", text)  # "2024-02-18 00:00:00"
    if " " in text or "号" in text:  # 2026 年 3 月 18 号
        text = "".join(text.split()).replace("号", "日")
    if re.fullmatch(r"\d{5}(?:\.0+)?", text) and 20_000 <= int(float(text)) <= 80_000:
        day = _EXCEL_EPOCH + timedelta(days=int(float(text)))
        raise ValueError(f"像是 Excel 的日期序号写成了文本（{text} 即 {day.isoformat()}），无法确定"
                         "是不是日期：请把单元格设为日期格式，或直接写作 2024-02-18")
    for pattern in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            y, mo, d = map(int, m.groups())
            try:
                return date(y, mo, d)
            except ValueError:
                raise ValueError("不是存在的日期") from None
    raise ValueError("不是有效的日期（应如 2024-02-18、2024/2/18 或 2024年2月18日）")


_DOT_ONE = re.compile(r"(\d{4})\.1")
AMBIGUOUS_MONTH = ("月份写成了 {text}：Excel 会把 {year}.10 存成 {year}.1，无法分辨是1月还是10月。"
                   "请写作 {year}-01 或 {year}-10（或把单元格设为文本后再输入）")


_CN_MONTHS = {n: i for i, n in enumerate(
    "一 二 三 四 五 六 七 八 九 十 十一 十二".split(), 1)}


def bare_month(raw) -> int | None:
    """A month without its year — 10, "10", "10月", "十月" — or None."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, (int, float)) and float(raw).is_integer() and 1 <= raw <= 12:
        return int(raw)
    text = re.sub(r"\s+", "", clean_text(raw)).removesuffix("份").removesuffix("月")
    if text.isdigit() and 1 <= int(text) <= 12:
        return int(text)
    return _CN_MONTHS.get(text)


def parse_month(raw) -> tuple[int, int]:
    """``2024-03``, ``2024/3``, ``2024年3月``, ``202403``, or any date (its month). A month
    written ``2026.1`` is refused: Excel keeps 2026.10 typed into a number cell as 2026.1."""
    if isinstance(raw, (date, datetime)) or _from_excel_serial(raw):
        d = parse_date(raw)
        return d.year, d.month
    text = clean_text(raw)
    if " " in text:
        text = "".join(text.split())
    if text.endswith(".1") and (m := _DOT_ONE.fullmatch(text)):
        raise ValueError(AMBIGUOUS_MONTH.format(text=text, year=m.group(1)))
    for pattern in _MONTH_PATTERNS:
        m = pattern.match(text)
        if m:
            y, mo = map(int, m.groups())
            if not 1 <= mo <= 12:
                raise ValueError("月份应在1到12之间")
            return y, mo
    try:
        d = parse_date(raw)
    except ValueError:
        raise ValueError("不是有效的月份（应如 2024-03、2024/3 或 2024年3月）") from None
    return d.year, d.month


def parse_year(raw) -> int:
    text = clean_text(raw).removesuffix("年")
    if not re.fullmatch(r"\d{4}", text):
        raise ValueError("不是有效的年度（应如 2024）")
    return int(text)


def split_list(raw) -> tuple[str, ...]:
    """``世界500强、央企`` → ("世界500强", "央企")."""
    return tuple(x for x in _LIST_SPLIT.split(clean_text(raw)) if x)
