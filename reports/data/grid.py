"""A sheet or a CSV file as it was read, before anything is interpreted: the cells row by row
(row i of ``cells`` is the row Excel shows as i + 1), and what a reader of the file sees
besides the values — merged ranges, hidden rows and columns, an autofilter — and what the
file does not say: formulas saved without their result.

csvfile.py and workbook.py make grids; header.py and rows.py read tables out of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Merged:
    """A merged range, 0-based and inclusive (the top-left cell holds the value)."""

    top: int
    left: int
    bottom: int
    right: int

    def covers(self, row: int, col: int) -> bool:
        return self.top <= row <= self.bottom and self.left <= col <= self.right

    def a1(self) -> str:
        return f"{cell_name(self.top, self.left)}:{cell_name(self.bottom, self.right)}"


@dataclass
class Grid:
    file: str  # as shown to the user: the file name within the data folder
    sheet: str | None  # None for a CSV file
    cells: list[list]  # raw values: str, int, float, date, datetime, or None / ""
    visible: bool = True  # a hidden sheet is not
    merged: list[Merged] = field(default_factory=list)
    hidden_rows: set[int] = field(default_factory=set)  # 0-based
    hidden_cols: set[int] = field(default_factory=set)
    # rows hidden by an active autofilter: data filtered out of view, not hidden data
    filtered_rows: set[int] = field(default_factory=set)
    no_result: set[tuple[int, int]] = field(default_factory=set)  # formulas without a value
    # cells showing an error value (#N/A, #DIV/0!, #REF!): calamine reads them as empty
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    csv: bool = False  # every record's fields are its cells: one too many is a broken row

    def where(self) -> dict:
        return {"file": self.file, "sheet": self.sheet}


def column_name(col: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    name = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        name = chr(65 + rest) + name
    return name


def cell_name(row: int, col: int) -> str:
    return f"{column_name(col)}{row + 1}"


def parse_cell(ref: str) -> tuple[int, int]:
    """"AB12" → (11, 27), 0-based."""
    letters = "".join(ch for ch in ref if ch.isalpha()).upper()
    digits = "".join(ch for ch in ref if ch.isdigit())
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return int(digits) - 1, col - 1


def row_list(numbers) -> str:
    """Excel row numbers (1-based) as staff read them: 第5、8–10、14行."""
    numbers = sorted(set(numbers))
    parts, start = [], None
    for i, n in enumerate(numbers):
        if start is None:
            start = n
        if i + 1 == len(numbers) or numbers[i + 1] != n + 1:
            parts.append(str(start) if start == n else f"{start}–{n}")
            start = None
    if len(parts) > 12:
        parts = parts[:12] + ["…"]
    return "第" + "、".join(parts) + "行"
