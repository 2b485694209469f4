"""Amounts written in words agree with the figures they describe: an opportunity's 项目简介
and 英文项目简介 against its 投资估算.

The worst slip a handout can carry is 亿 read as billion: 64.7亿元 written "CNY 64.7 billion",
ten times the investment (亿 is a hundred million: 64.7亿元 = CNY 6.47 billion). So an amount
that a description gives as the project's investment — beside 总投资 / 投资 / investment — and
that disagrees with 投资估算 is an error, naming both amounts, what the text's amount is in 亿元,
and a tenfold slip as such. A description may round ("约50亿元" for 50.7亿元): within 10% is
agreement. Other amounts in a text (an annual output, a first phase) are not looked at.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_ZH_UNITS = {"万亿": Decimal(10) ** 12, "亿": Decimal(10) ** 8, "万": Decimal(10) ** 4, "": 1}
_EN_UNITS = {"trillion": Decimal(10) ** 12, "billion": Decimal(10) ** 9,
             "million": Decimal(10) ** 6, "thousand": Decimal(10) ** 3, "": 1}
_ZH = re.compile(r"(?:总投资|投资估算|投资总额|计划投资|拟投资|估算投资|投资)(?:额)?"
                 r"(?:约为|约|为|达到|达|预计|估算|共计|共)?\s*([0-9][0-9,，.]*)\s*(万亿|亿|万)?元")
_EN = re.compile(r"\b(?:investment|invest(?:ing|ed)?|capital outlay|total cost)\b[^.;:]{0,50}?"
                 r"(?P<written>(?:\bCNY|\bRMB|¥)\s?([0-9](?:[0-9,]|\.[0-9])*)\s*"
                 r"(trillion|billion|million|thousand|bn|m)?\b)", re.I)
TOLERANCE = Decimal("0.10")  # "约50亿元" for 50.7亿元 is agreement


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", "").replace("，", "").rstrip("."))
    except InvalidOperation:
        return None


def stated(text: str, english: bool) -> list[tuple[str, Decimal]]:
    """(as written, amount in 元) of each investment amount a description states."""
    out = []
    pattern = _EN if english else _ZH
    for m in pattern.finditer(text or ""):
        number = _decimal(m.group(2) if english else m.group(1))
        if number is None:
            continue
        unit = (m.group(3) if english else m.group(2)) or ""
        unit = unit.lower() if english else unit
        if english:
            unit = {"bn": "billion", "m": "million"}.get(unit, unit)
            factor = _EN_UNITS[unit]
        else:
            factor = _ZH_UNITS[unit]
        written = m.group("written") if english else m.group(0)
        out.append((written.strip(), number * factor))
    return out


def _yi(yuan: Decimal) -> str:
    value = (yuan / _ZH_UNITS["亿"]).normalize()
    return f"{value:f}亿元"


def check(text: str | None, english: bool, investment: Decimal | None) -> list[str]:
    """What is wrong with the amounts ``text`` states against ``investment`` (元)."""
    if not text or investment is None or investment <= 0:
        return []
    problems = []
    for written, amount in stated(text, english):
        ratio = amount / investment
        if abs(ratio - 1) <= TOLERANCE:
            continue
        if abs(ratio / 10 - 1) <= TOLERANCE or abs(ratio * 10 - 1) <= TOLERANCE:
            slip = "十倍" if ratio > 1 else "十分之一"
            hint = "（1亿元 = CNY 100 million，10亿元 = CNY 1 billion）" if english else ""
            problems.append(f"简介写的投资额“{written}”即{_yi(amount)}，是投资估算{_yi(investment)}的"
                            f"{slip}{hint}：请改正简介或投资估算")
        else:
            problems.append(f"简介写的投资额“{written}”即{_yi(amount)}，与投资估算{_yi(investment)}"
                            "不符：请改正简介或投资估算")
    return problems
