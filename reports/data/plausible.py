"""Amounts that are legal but implausible, as warnings that name them: a figure a careful
reader of the ledger would stop at before it reaches a leader's desk.

- one project carrying more than a quarter of its year's signed amount (in a year of at
  least ``MIN_PROJECTS`` projects), or a single project of 1万亿元 or more;
- a money column whose typical (median) value is far outside what its unit makes sense for —
  元-sized numbers in a 万元 column read 10,000 times too large.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from decimal import Decimal

from ..errors import ProblemLog
from .model import Dataset

SHARE = Decimal("0.25")
MIN_PROJECTS = 10
HUGE = Decimal(10) ** 12  # 1万亿元
# (table, field) → the range (元) a median of that column is expected in
MEDIANS = {("projects", "amount"): (Decimal(10) ** 6, Decimal(10) ** 11),  # 100万 … 1000亿
           ("funds", "amount"): (Decimal(10) ** 4, Decimal(10) ** 10)}  # 1万 … 100亿
MIN_ROWS = 20  # rows before a median says anything
SAMPLE = 2000  # values a median is taken from (every n-th row): enough to tell a unit


def _words(yuan: Decimal) -> str:
    if yuan >= Decimal(10) ** 12:
        return f"{yuan / Decimal(10) ** 12:.2f}万亿元"
    if yuan >= Decimal(10) ** 8:
        return f"{yuan / Decimal(10) ** 8:.2f}亿元"
    return f"{yuan / Decimal(10) ** 4:.2f}万元"


def check(ds: Dataset, tables: dict, log: ProblemLog) -> None:
    t = tables.get("projects")
    where = t.where() if t else {}
    column = t.columns.header.get("amount") if t else None
    by_year: dict[int, list] = defaultdict(list)
    for p in ds.projects:
        by_year[p.signed_on.year].append(p)
    for year, projects in sorted(by_year.items()):
        total = sum((p.amount for p in projects), Decimal(0))
        for p in projects:
            share = p.amount / total if total else Decimal(0)
            if len(projects) >= MIN_PROJECTS and share > SHARE:
                log.warn(f"签约金额{_words(p.amount)}，占{year}年全部{len(projects)}个项目签约金额"
                         f"（{_words(total)}）的{share * 100:.0f}%，远超其他项目：请核对金额和表头单位",
                         row=p.row, column=column, **where)
            elif p.amount >= HUGE:
                log.warn(f"签约金额{_words(p.amount)}，一个项目达到万亿元级：请核对金额和表头单位",
                         row=p.row, column=column, **where)
    amounts = {("projects", "amount"): [p.amount for p in ds.projects],
               ("funds", "amount"): [f.amount for f in ds.funds]}
    for (key, field_), values in amounts.items():
        table = tables.get(key)
        if table is None or len(values) < MIN_ROWS or field_ not in table.columns.units:
            continue
        low, high = MEDIANS[(key, field_)]
        step = max(1, len(values) // SAMPLE)  # a fixed sample: the same file, the same answer
        median = statistics.median(values[::step])
        unit = table.columns.units[field_]
        if median > high or median < low:
            hint = "像是按“元”填写的数字放在了以“万元”或“亿元”为单位的列中" if median > high else \
                "像是按“万元”或“亿元”填写的数字放在了以“元”为单位的列中"
            log.warn(f"这一列按“{unit}”读取，每行金额的中位数为{_words(median)}：{hint}。"
                     "请核对表头中的单位", row=table.header_row,
                     column=table.columns.header[field_], **table.where())
