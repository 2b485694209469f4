"""Problems found in the user's data, and the exceptions that carry them.

A ``Problem`` names the place as a spreadsheet user sees it: file (and sheet), the row
number Excel shows, the column header as typed, the offending value and what is wrong,
in Chinese.
"""

from __future__ import annotations

from dataclasses import dataclass, field


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
        kind = "警告" if self.warning else "错误"
        place = self.place()
        text = f"{kind}：{place}：" if place else f"{kind}："
        if self.value is not None:
            shown = self.value if len(self.value) <= 60 else self.value[:57] + "…"
            text += f"值“{shown}”"
            text += "，" if not self.message.startswith("，") else ""
        return text + self.message


class ReportError(Exception):
    """Base class for errors the CLI turns into a clean message and an exit code."""

    exit_code = 1


class DataError(ReportError):
    """The input data is invalid; ``problems`` lists every error (and warning) found."""

    exit_code = 2

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        errors = [p for p in problems if not p.warning]
        super().__init__(f"数据有{len(errors)}处错误")

    def __reduce__(self):  # rebuilt from its problems when it crosses a process boundary
        return type(self), (self.problems,)


class TemplateProblem(ReportError):
    """A template has a syntax error, names a missing template, or broke the sandbox."""

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

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.warning]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.warning]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise DataError(self.problems)
