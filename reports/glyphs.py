"""Glyph coverage: every character the PDF will show must be in the bundled fonts.

A character none of them has (a rare place-name character, an emoji) would otherwise print
as a tofu box, or fall back to whatever font a machine happens to have. It is an error that
names the character, where it occurs, and what to do — checked before rendering.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .errors import Problem, ReportError
from .theme import FONTS_DIR, THEME

_TAGS = re.compile(r"<[^>]*>")


@lru_cache(maxsize=1)
def covered() -> frozenset[int]:
    """Code points of the fonts every text stack ends in (serif and sans; the 楷 face falls
    back to the serif, so it adds nothing that must be covered)."""
    from fontTools.ttLib import TTFont

    points: set[int] = set()
    for name in (THEME.serif_regular, THEME.sans_regular):
        points.update(TTFont(FONTS_DIR / name, lazy=True)["cmap"].getBestCmap())
    return frozenset(points)


def _needs_glyph(ch: str) -> bool:
    return unicodedata.category(ch)[0] not in ("C", "Z")  # not control, format or space


def missing(text: str) -> list[str]:
    have = covered()
    return sorted({ch for ch in text if ord(ch) not in have and _needs_glyph(ch)})


@dataclass(frozen=True)
class Place:
    text: str
    problem: Problem  # where the text comes from (file, row, column)


class GlyphError(ReportError):
    exit_code = 2

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


def describe(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return f"字符“{ch}”（U+{ord(ch):04X}{' ' + name if name else ''}）"


ADVICE = ("内置字体中没有这个字，印出来会是方框。请改用规范字或同音字（必要时加注），"
          "或在 fonts/ 中加入包含此字的字体并写入 templates/css/fonts.css。")


def check(places: list[Place], html: str | None = None) -> None:
    """Raise GlyphError listing every uncovered character with its place."""
    problems: list[Problem] = []
    seen: set[str] = set()
    for place in places:
        for ch in missing(place.text):
            seen.add(ch)
            p = place.problem
            problems.append(Problem(f"{describe(ch)}{ADVICE}", file=p.file, sheet=p.sheet,
                                    row=p.row, column=p.column, value=place.text))
    if html is not None:
        text = _TAGS.sub(" ", html.split("<body", 1)[-1])
        import html as _html
        for ch in missing(_html.unescape(text)):
            if ch not in seen:
                problems.append(Problem(f"{describe(ch)}出现在模板文字中。{ADVICE}",
                                        file="模板"))
    if problems:
        raise GlyphError(problems)
