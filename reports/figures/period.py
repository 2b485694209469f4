"""A briefing's period, ``YYYY-MM``: 1–M月 of the year. Light on purpose (no data model): the
command line parses it, and an up-to-date ``report monthly`` run needs nothing more."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Period:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> "Period":
        m = re.fullmatch(r"(\d{4})-(\d{1,2})", text.strip())
        if not m or not 1 <= int(m.group(2)) <= 12:
            raise ValueError(f"期间“{text}”格式不对，应为 YYYY-MM，如 2026-10")
        return cls(int(m.group(1)), int(m.group(2)))

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d}"

    @property
    def previous_year(self) -> "Period":
        return Period(self.year - 1, self.month)

    def contains(self, year: int, month: int) -> bool:
        """Within 1–M月 of the period's year."""
        return year == self.year and month <= self.month
