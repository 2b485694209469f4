"""Is the period's data there? A briefing of a month nobody has entered yet would print
"新签约项目0个……同比下降100%" as if it were news.

- A month in the future is an error (exit 2), whatever rows are dated in it.
- A month with no signed project and no fund row at all is an error (exit 2): the data has
  not been entered (or the period is mistyped).
- A month with far fewer fund rows than the month before (under ``SHORT`` of them, when that
  month had at least ``MIN_ROWS``) is a warning: the data may be entered only in part.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ..data.model import Dataset
from ..errors import DataError, Problem

SHORT = Decimal("0.5")
MIN_ROWS = 10


def _previous(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def check_period(ds: Dataset, period, today: date | None = None) -> list[Problem]:
    """Raises DataError when the period is in the future or its month has no data; returns
    warnings."""
    month = (period.year, period.month)
    today = today or date.today()
    if month > (today.year, today.month):
        raise DataError([Problem(
            f"{period.year}年{period.month}月在未来（今天是{today.year}年{today.month}月{today.day}日）："
            "不能生成尚未到来的月份的简报；请检查期间（--period）")])
    funds = sum(1 for f in ds.funds if (f.year, f.month) == month)
    signed = sum(1 for p in ds.projects if (p.signed_on.year, p.signed_on.month) == month)
    if not funds and not signed:
        latest = ds.latest_month()
        where = f"（数据中最近的月份是{latest[0]}年{latest[1]}月）" if latest else ""
        raise DataError([Problem(
            f"{period.year}年{period.month}月没有任何数据：这个月既没有签约项目，也没有到位资金"
            f"记录{where}。数据可能尚未录入，或期间写错了；请录入该月数据后再生成")])
    before = sum(1 for f in ds.funds if (f.year, f.month) == _previous(*month))
    if before >= MIN_ROWS and funds < before * SHORT:
        return [Problem(f"{period.year}年{period.month}月的到位资金只有{funds}行，上个月有{before}行："
                        "本月数据可能尚未录全，请核对后再印发", warning=True)]
    return []
