"""The 附表 (the period's ledger) in words: which projects it lists, the label of its 合计 row,
and each cell as the reader sees it — for ReportLab, which takes text (the HTML ledger formats
the same rows with the template filters). Typesetting the cells is typeset/ledger.py."""

from __future__ import annotations

from ..data.config import Config
from .compute import Figures
from .fmt import Formatter


def ledger_shown(ledger: list, limit: int) -> list:
    """The ledger rows the 附表 lists: all, or beyond ``limit`` the ``limit`` largest by
    signed amount, in the ledger's own order."""
    if len(ledger) <= limit:
        return ledger
    largest = sorted(range(len(ledger)), key=lambda i: (-ledger[i].project.amount, i))[:limit]
    return [ledger[i] for i in sorted(largest)]


def ledger_total_label(f: Figures, shown: list) -> str:
    n = len(f.ledger)
    return f"合计（{n}个项目）" if len(shown) == n else f"合计（全部{n}个项目）"


def ledger_cells(f: Figures, cfg: Config, shown: list
                 ) -> tuple[list[tuple[str, ...]], tuple[str, ...]]:
    """The cells of the listed rows, and of the 合计 row — always that of every project,
    listed or not."""
    fmt = Formatter.from_config(cfg.display)
    rows = [(str(i), r.project.name, cfg.region(r.project.region).short, r.project.industry,
             r.project.investor, r.project.signed_on.isoformat(),
             fmt.amount_in(r.project.amount), fmt.amount_in(r.funds_period))
            for i, r in enumerate(shown, 1)]
    total = ("", ledger_total_label(f, shown), "", "", "", "",
             fmt.amount_in(f.signed.value), fmt.amount_in(sum(r.funds_period for r in f.ledger)))
    return rows, total
