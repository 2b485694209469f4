"""期号: which number a month's briefing carries. It follows the calendar, never build order:
by default 第N期 is month N of its year (the series restarts every January); ``issue_start``
in config.toml ([briefing], or per job) moves the start of a series — ``"2026-09"`` makes
September 第1期, October 第2期; ``{ month = "2026-09", number = 6 }`` continues a series the
bureau numbered by hand before. ``report build`` and ``report monthly`` compute the same
number; the archive records it and refuses to let it change (archive.py)."""

from __future__ import annotations

from ..data.config import Config, IssueStart, Job


def series_start(cfg: Config, job: Job | None = None) -> IssueStart | None:
    return (job.issue_start if job and job.issue_start else None) or cfg.issue_start


def issue_number(start: IssueStart | None, year: int, month: int) -> int | None:
    """The 期号 of the month, or None when the month comes before the series starts."""
    if start is None or year > start.year:
        return month
    if year < start.year or month < start.month:
        return None
    return start.number + month - start.month


def before_start(start: IssueStart) -> str:
    return (f"期号从{start.year}年{start.month}月的第{start.number}期起算（config.toml 的 issue_start），"
            "这个月在它之前")
