"""Figures → text, the way Chinese publications write them (GB/T 15835-2011), or English.

The only module that imports Babel. Every number is rounded here exactly once, with the
configured mode — ``half-up`` (四舍五入, Excel's ROUND, the default) or ``half-even``
(四舍六入五成双, GB/T 8170-2008) — from the unrounded ``Decimal`` that compute.py produced;
Babel only prints the already-rounded value. Missing figures (``None``) print as ``—``.

    amount(787400000000)      → 7874亿元        CNY 787.4 billion
    amount(56000000)          → 5600万元        CNY 56 million
    amount(3470000000000)     → 3.47万亿元      CNY 3.47 trillion
    percent(Decimal("1.136")) → 113.6%
    growth(Decimal("0.55"))   → 增长55%        up 55%     (下降12.3% / 持平, never 增长-12%)
    points(Decimal("0.032"))  → 提高3.2个百分点
    ordinal(3)                → 第三位
    period(Period(2024, 6))   → 1-6月 / 上半年
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

from babel.dates import format_date
from babel.numbers import format_decimal

from .compute import Period

DASH = "—"
ROUNDING = {"half-up": ROUND_HALF_UP, "half-even": ROUND_HALF_EVEN}
# (factor, Chinese unit, English word), largest first
_UNITS_ZH = ((Decimal(10) ** 12, "万亿元"), (Decimal(10) ** 8, "亿元"), (Decimal(10) ** 4, "万元"))
_UNITS_EN = ((Decimal(10) ** 12, "trillion"), (Decimal(10) ** 9, "billion"),
             (Decimal(10) ** 6, "million"))
UNIT_FACTORS = {"元": Decimal(1), "万元": Decimal(10) ** 4, "亿元": Decimal(10) ** 8,
                "万亿元": Decimal(10) ** 12}
_DIGITS = "零一二三四五六七八九"
_QUARTER_NAMES = {3: "一季度", 6: "上半年", 9: "前三季度", 12: "全年"}
_QUARTER_NAMES_EN = {3: "Q1", 6: "H1", 9: "Q1–Q3", 12: "full year"}


def chinese_number(n: int) -> str:
    """0–99,999,999 in Chinese numerals: 3 → 三, 10 → 十, 15 → 十五, 105 → 一百零五."""
    if n < 0:
        return "负" + chinese_number(-n)
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n - 10] if n > 10 else "")
    if n >= 10_000:
        high, low = divmod(n, 10_000)
        rest = "" if low == 0 else ("零" if low < 1000 else "") + _small(low)
        text = _small(high) + "万" + rest
    else:
        text = _small(n)
    return text[1:] if text.startswith("一十") else text  # 十二万, not 一十二万


def _small(n: int) -> str:
    """1–9999 with 千/百/十 and the zeros Chinese writes (一千零五, 二百一十)."""
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // value % 10
        if d:
            if zero and out:
                out += "零"
            out += _DIGITS[d] + unit
            zero = False
        else:
            zero = True
    return out


def _plain(rounded: Decimal, trim: bool) -> str:
    """What Babel prints for an ungrouped pattern ``0.00`` / ``0.##`` in zh_CN (decimal
    point ".", minus "-"), without Babel: a 附表 formats thousands of cells, and Babel's
    format_decimal costs ~50 µs each (parsing the pattern, looking up the locale). The same
    text, checked against Babel by tests/test_fmt.py."""
    text = format(rounded, "f")
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _whole(rounded: Decimal) -> bool:
    """Only a whole number loses its decimals in running text (2520亿元); any other keeps all
    of them (377.30亿元, as the tables print it: one figure, one form in one document)."""
    return rounded == rounded.to_integral_value()


class Formatter:
    """Formatting with one document's settings. ``filters()`` gives the Jinja filters."""

    def __init__(self, locale: str = "zh_CN", rounding: str = "half-up",
                 amount_decimals: int = 2, percent_decimals: int = 1, grouping: bool = False):
        if rounding not in ROUNDING:
            raise ValueError(f"unknown rounding mode {rounding!r}")
        self.locale = locale
        self.zh = locale.startswith("zh")
        self.rounding = ROUNDING[rounding]
        self.amount_decimals = amount_decimals
        self.percent_decimals = percent_decimals
        self.grouping = grouping

    @classmethod
    def from_config(cls, display) -> "Formatter":
        return cls(display.locale, display.rounding, display.amount_decimals,
                   display.percent_decimals, display.grouping)

    # -- the one rounding ---------------------------------------------------------------
    def round(self, value, places: int) -> Decimal:
        return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=self.rounding)

    def _print(self, rounded: Decimal, places: int, trim: bool) -> str:
        """Print an already-rounded Decimal with Babel; no further rounding happens."""
        frac = ("#" if trim else "0") * places
        pattern = "0" + ("." + frac if places else "")
        # GB/T 15835: grouping is optional and never applies to four digits or fewer;
        # English always groups thousands.
        if not self.zh or (self.grouping and abs(rounded) >= 10_000):
            pattern = "#,##" + pattern
            text = format_decimal(rounded, format=pattern, locale=self.locale,
                                  decimal_quantization=False)
        else:
            text = _plain(rounded, trim)
        return "0" if text in ("-0", "") else text

    # -- numbers ------------------------------------------------------------------------
    def number(self, value, decimals: int = 0, trim: bool = True) -> str:
        if value is None:
            return DASH
        return self._print(self.round(value, decimals), decimals, trim)

    def count(self, value, unit: str = "个") -> str:
        """225个 (zh) / 225 (en: the noun belongs to the sentence)."""
        if value is None:
            return DASH
        text = self.number(value)
        return text + unit if self.zh else text

    def amount(self, yuan, unit: str | None = None, decimals: int | None = None,
               trim: bool = True) -> str:
        """An amount with its unit, the unit chosen by size unless given."""
        if yuan is None:
            return DASH
        places = self.amount_decimals if decimals is None else decimals
        yuan = Decimal(yuan)
        if not self.zh:
            return self._amount_en(yuan, places)
        if unit is None:
            if yuan == 0:  # no size to choose a unit by: the tables' unit, never 0元
                return "0亿元"
            # The unit follows the size (below 1亿 → 万元, below 1万亿 → 亿元); when rounding
            # carries a value up to 10000 of its unit, the next unit is used, so that
            # 99,999,999.999元 reads 1亿元 and not 10000万元.
            units = _UNITS_ZH[::-1]  # 万元, 亿元, 万亿元
            i = 0
            while i + 1 < len(units) and abs(yuan) >= units[i + 1][0]:
                i += 1
            rounded = self.round(yuan / units[i][0], places)
            if i + 1 < len(units) and abs(rounded) >= 10_000:
                i += 1
                rounded = self.round(yuan / units[i][0], places)
            return self._print(rounded, places, trim and _whole(rounded)) + units[i][1]
        rounded = self.round(yuan / UNIT_FACTORS[unit], places)
        return self._print(rounded, places, trim and _whole(rounded)) + unit

    def amount_in(self, yuan, unit: str = "亿元", decimals: int | None = None,
                  trim: bool = False) -> str:
        """The number alone in a fixed unit, for a table column headed ``（亿元）``."""
        if yuan is None:
            return DASH
        places = self.amount_decimals if decimals is None else decimals
        return self._print(self.round(Decimal(yuan) / UNIT_FACTORS[unit], places), places, trim)

    def amount_col(self, yuan, decimals: int | None = None) -> str:
        """A table cell under a header with the unit: 亿元 in Chinese (``（亿元）``), billions
        in English (``(CNY bn)``); fixed decimals, so the column lines up."""
        if yuan is None:
            return DASH
        if self.zh:
            return self.amount_in(yuan, "亿元", decimals)
        places = self.amount_decimals if decimals is None else decimals
        return self._print(self.round(Decimal(yuan) / 10 ** 9, places), places, False)

    def _amount_en(self, yuan: Decimal, places: int) -> str:
        units = _UNITS_EN[::-1]  # million, billion, trillion
        if abs(yuan) < units[0][0]:
            return f"CNY {self._print(self.round(yuan, 0), 0, True)}"
        i = 0
        while i + 1 < len(units) and abs(yuan) >= units[i + 1][0]:
            i += 1
        rounded = self.round(yuan / units[i][0], places)
        if i + 1 < len(units) and abs(rounded) >= 1000:
            i += 1
            rounded = self.round(yuan / units[i][0], places)
        return f"CNY {self._print(rounded, places, True)} {units[i][1]}"

    def parts_differ(self, parts, total, unit: str = "亿元", decimals: int | None = None) -> bool:
        """Whether the displayed parts fail to add up to the displayed total (rounding),
        which calls for the note 因四舍五入，分项之和与合计可能略有出入."""
        places = self.amount_decimals if decimals is None else decimals
        factor = UNIT_FACTORS[unit]
        shown = sum((self.round(Decimal(p) / factor, places) for p in parts), Decimal(0))
        return shown != self.round(Decimal(total) / factor, places)

    def shares_differ(self, shares, decimals: int | None = None) -> bool:
        """Whether shares of one whole, as printed, fail to add up to 100% (rounding): 33.3%
        three times is 99.9%. No shares at all (nothing to share out) do not differ."""
        places = self.percent_decimals if decimals is None else decimals
        known = [Decimal(x) for x in shares if x is not None]
        if not known:
            return False
        shown = sum((self.round(x * 100, places) for x in known), Decimal(0))
        return shown != self.round(sum(known, Decimal(0)) * 100, places)

    # -- ratios -------------------------------------------------------------------------
    def percent(self, ratio, decimals: int | None = None, trim: bool = True) -> str:
        """113.6% from 1.136."""
        if ratio is None:
            return DASH
        places = self.percent_decimals if decimals is None else decimals
        return self._print(self.round(Decimal(ratio) * 100, places), places, trim) + "%"

    def growth(self, ratio, decimals: int | None = None, trim: bool = True) -> str:
        """增长55% / 下降12.3% / 持平 — the sign becomes a word, never 增长-12%."""
        return self._change(ratio, decimals, trim, ("增长", "下降", "持平"),
                            ("up ", "down ", "flat"), "%", "%")

    def signed_percent(self, ratio, decimals: int | None = None, trim: bool = False) -> str:
        """+55.0% / -12.3% / 0.0%, for table cells where a column is headed 同比."""
        if ratio is None:
            return DASH
        places = self.percent_decimals if decimals is None else decimals
        r = self.round(Decimal(ratio) * 100, places)
        text = self._print(abs(r), places, trim) + "%"
        return ("+" if r > 0 else "-" if r < 0 else "") + text

    def points(self, diff, decimals: int | None = None, trim: bool = True) -> str:
        """A difference of two ratios in percentage points: 提高3.2个百分点 / 降低 / 持平."""
        return self._change(diff, decimals, trim, ("提高", "降低", "持平"),
                            ("up ", "down ", "unchanged"), "个百分点", " percentage points")

    def direction(self, ratio, decimals: int | None = None) -> str | None:
        """"up" / "down" / "flat" as the reader will see the ratio (rounded: a growth that
        prints as 0.0% is flat); None when there is no ratio. For sentences that must not
        call a decline 增速第一 or write 增长、增长."""
        if ratio is None:
            return None
        places = self.percent_decimals if decimals is None else decimals
        r = self.round(Decimal(ratio) * 100, places)
        return "up" if r > 0 else "down" if r < 0 else "flat"

    def _change(self, ratio, decimals, trim, zh_words, en_words, zh_unit, en_unit) -> str:
        if ratio is None:
            return DASH
        places = self.percent_decimals if decimals is None else decimals
        r = self.round(Decimal(ratio) * 100, places)
        up, down, same = zh_words if self.zh else en_words
        if r == 0:
            return same
        return (up if r > 0 else down) + self._print(abs(r), places, trim) + \
            (zh_unit if self.zh else en_unit)

    # -- dates and periods --------------------------------------------------------------
    def date(self, d: date | None) -> str:
        """2026年12月3日 / 3 December 2026 (one style for English: day, month, year)."""
        if d is None:
            return DASH
        if self.zh:
            return f"{d.year}年{d.month}月{d.day}日"
        return format_date(d, "d MMMM y", locale=self.locale)

    def day(self, d: date | None) -> str:
        """A date in a table column: 2026-12-03 (as the ledger has it) / 3 Dec 2026."""
        if d is None:
            return DASH
        if self.zh:
            return d.isoformat()
        return format_date(d, "d MMM y", locale=self.locale)

    def lower_first(self, text) -> str:
        """English running text: "New energy" → "new energy" inside a sentence (an acronym
        or a proper name in capitals, "PV", stays); Chinese as it is."""
        text = "" if text is None else text
        if self.zh or len(text) < 2 or not text[1].islower():
            return text
        return text[:1].lower() + text[1:]

    def month(self, period: Period | None) -> str:
        """2024年3月 / March 2024."""
        if period is None:
            return DASH
        if self.zh:
            return f"{period.year}年{period.month}月"
        return format_date(date(period.year, period.month, 1), "MMMM y", locale=self.locale)

    def period(self, period: Period | None, style: str = "range") -> str:
        """The cumulative span 1–M月: ``range`` → 1-3月; ``name`` → 一季度/上半年/前三季度/全年
        where one exists, else the range."""
        if period is None:
            return DASH
        m = period.month
        if self.zh:
            if style == "name" and m in _QUARTER_NAMES:
                return _QUARTER_NAMES[m]
            return "1月" if m == 1 else f"1-{m}月"
        if style == "name" and m in _QUARTER_NAMES_EN:
            return _QUARTER_NAMES_EN[m]
        first = format_date(date(2000, 1, 1), "MMMM", locale=self.locale)
        last = format_date(date(2000, m, 1), "MMMM", locale=self.locale)
        return first if m == 1 else f"{first}–{last}"

    def ordinal(self, n: int | None, suffix: str = "位") -> str:
        """第三位 / 3rd."""
        if n is None:
            return DASH
        if self.zh:
            return f"第{chinese_number(int(n))}{suffix}"
        n = int(n)
        tail = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"{n}{tail}"

    def cn(self, n: int | None) -> str:
        return DASH if n is None else chinese_number(int(n))

    def text(self, value) -> str:
        """Any optional text: ``None`` or empty → —."""
        return DASH if value is None or value == "" else str(value)

    def filters(self) -> dict:
        return {
            "num": self.number, "count": self.count, "amount": self.amount,
            "amount_in": self.amount_in, "amount_col": self.amount_col, "pct": self.percent, "growth": self.growth,
            "signed_pct": self.signed_percent, "points": self.points, "date": self.date,
            "day": self.day, "lower_first": self.lower_first,
            "month": self.month, "period": self.period, "ordinal": self.ordinal,
            "cn": self.cn, "or_dash": self.text, "direction": self.direction,
        }
