"""Problems found in the user's data, and the exceptions that carry them.

A ``Problem`` names the place as a spreadsheet user sees it: file (and sheet), the row
number Excel shows, the column header as typed, the offending value and what is wrong,
in Chinese. Three kinds: an error stops the run; a warning (a suspicious but legal value) is
reported and the run goes on; a note (说明) says how the file was read — a merged range
carried down, title rows above the header — for a person checking the figures.

``condense`` keeps a flood readable: a few lines for each column and cause, then one line
"另有N处同类问题" with the rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

KEPT = 5  # lines of one cause in one column, before "另有N处同类问题"


def visible(text: str) -> str:
    """Characters a reader cannot see, shown as <U+200B>: a zero-width space pasted from
    WeChat makes 海南藏族自治州 unknown, and the message must show why."""
    if text.isprintable() and "\u3000" not in text:
        return text
    return "".join(ch if ch.isprintable() and ch != "\u3000"
                   else f"<U+{ord(ch):04X}>" for ch in text)


@dataclass(frozen=True, slots=True)
class Problem:
    message: str
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None
    warning: bool = False
    field: str | None = None  # a key of a YAML file (delegation, profile), as written
    note: bool = False  # 说明: how the file was read (neither error nor warning)

    @property
    def error(self) -> bool:
        return not (self.warning or self.note)

    def place(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file + (f"［{self.sheet}］" if self.sheet else ""))
        if self.row is not None:
            parts.append(f"第{self.row}行")
        if self.column:
            parts.append(f"“{self.column}”列")
        if self.field:
            parts.append(f"字段“{self.field}”")
        return " ".join(parts)

    def __str__(self) -> str:
        kind = "警告" if self.warning else "说明" if self.note else "错误"
        place = self.place()
        text = f"{kind}：{place}：" if place else f"{kind}："
        if self.value is not None:
            shown = self.value if len(self.value) <= 60 else self.value[:57] + "…"
            text += f"值“{shown}”"
            text += "，" if not self.message.startswith("，") else ""
        # whatever of it came from a file (a sheet name, a header, a cell): escape codes and
        # invisible characters shown as <U+001B>, never sent to the terminal as they are
        return visible(text + self.message)


class ReportError(Exception):
    """Base class for errors the CLI turns into a clean message and an exit code."""

    exit_code = 1


class DataError(ReportError):
    """The input data is invalid; ``problems`` lists every error (and warning) found."""

    exit_code = 2

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        errors = [p for p in problems if p.error]
        super().__init__(f"数据有{len(errors)}处错误")

    def __reduce__(self):  # rebuilt from its problems when it crosses a process boundary
        return type(self), (self.problems,)


class TemplateProblem(ReportError):
    """A template has a syntax error, names a missing template, or broke the sandbox."""

    exit_code = 2


class UsageError(ReportError):
    """What was typed at the command line (an argument, a password) is not acceptable."""

    exit_code = 2


class ConfigError(ReportError):
    """The configuration file is missing or invalid."""

    exit_code = 2


@dataclass
class ProblemLog:
    """Collects problems so that every one is reported at once (validate first, then stop)."""

    problems: list[Problem] = field(default_factory=list)

    def error(self, message: str, **where) -> None:
        self.problems.append(Problem(message, **where))

    def warn(self, message: str, **where) -> None:
        self.problems.append(Problem(message, warning=True, **where))

    def note(self, message: str, **where) -> None:
        self.problems.append(Problem(message, note=True, **where))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.warning]

    @property
    def notes(self) -> list[Problem]:
        return [p for p in self.problems if p.note]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise DataError(self.problems)


def _rows(numbers: list[int]) -> str:
    shown = "、".join(f"{n}" for n in numbers[:8])
    return f"第{shown}行" + ("等" if len(numbers) > 8 else "")


def condense(problems: list[Problem], kept: int = KEPT) -> list[Problem]:
    """The first ``kept`` problems of each cause (kind, file, sheet, column, message), in
    their order; the rest of a cause as one line after its last kept one."""
    def cause(p: Problem) -> tuple:
        return (p.error, p.warning, p.file, p.sheet, p.column, p.field, p.message)

    groups: dict[tuple, list[Problem]] = {}
    for p in problems:
        groups.setdefault(cause(p), []).append(p)
    seen: dict[tuple, int] = {}
    out: list[Problem] = []
    for p in problems:
        key = cause(p)
        index = seen[key] = seen.get(key, -1) + 1
        if index < kept:
            out.append(p)
        group = groups[key]
        if index == kept - 1 and len(group) > kept:
            rest = group[kept:]
            rows = [q.row for q in rest if q.row is not None]
            where = f"（{_rows(rows)}）" if rows else ""
            out.append(Problem(f"另有{len(rest)}处同类问题{where}：{p.message}", file=p.file,
                               sheet=p.sheet, column=p.column, field=p.field,
                               warning=p.warning, note=p.note))
    return out


def print_problems(problems, stream) -> None:
    """Errors, then warnings, then notes (说明), each a heading and its lines; a flood of one
    cause in one column shortened to a few lines and "另有N处同类问题"."""
    groups = (("错误", "须改正后才能生成", [p for p in problems if p.error]),
              ("警告", "不影响生成，但请核对", [p for p in problems if p.warning]),
              ("说明", "文件是这样读取的", [p for p in problems if p.note]))
    shown = [g for g in groups if g[2]]
    for kind, meaning, items in shown:
        if len(shown) > 1 or len(items) > 1:
            print(f"{kind}（{len(items)}{'处' if kind == '错误' else '条'}，{meaning}）：", file=stream)
        for p in condense(items):
            print(str(p), file=stream)
