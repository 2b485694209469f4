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
from pathlib import Path

from ..errors import Problem, ReportError
from .theme import FONTS_DIR, THEME

_TAGS = re.compile(r"<[^>]*>")


COVERAGE = FONTS_DIR / "coverage.json"
# WeasyPrint text falls back from one bundled family to the next, so it needs a character in
# the serif or the sans ("any"); ReportLab (ledger, charts) has no fallback: "sans" only.
COVERAGE_FONTS = {"serif": THEME.serif_regular, "sans": THEME.sans_regular}


FONT_FILES = (THEME.serif_regular, THEME.serif_bold, THEME.sans_regular, THEME.sans_bold,
              THEME.kai_regular)
_MAGIC = (b"\x00\x01\x00\x00", b"true", b"OTTO")


class FontFileError(ReportError):
    exit_code = 1


def verify_fonts(folder: Path | None = None) -> None:
    """Every bundled font file is there, is a font, and has the size recorded in
    coverage.json (``make fonts-coverage``): a missing or truncated font would otherwise
    print boxes, or let WeasyPrint fall back to whatever the machine has. Five stats and
    five 4-byte reads: cheap enough for every build."""
    import json

    folder = folder or FONTS_DIR
    try:
        recorded = json.loads((folder / COVERAGE.name).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError):
        recorded = {}
    problems = []
    for name in FONT_FILES:
        path = folder / name
        try:
            size = path.stat().st_size
            with open(path, "rb") as f:
                magic = f.read(4)
        except OSError as exc:
            problems.append(f"字体文件 fonts/{name} 缺失或无法读取（{exc.strerror}）")
            continue
        if magic not in _MAGIC:
            problems.append(f"fonts/{name} 不是字体文件（文件已损坏）")
        elif name in recorded and size != recorded[name]:
            problems.append(f"字体文件 fonts/{name} 已损坏（{size} 字节，应为 {recorded[name]} 字节）")
    if problems:
        raise FontFileError("错误：" + "；".join(problems) + "。请从仓库恢复 fonts/ 文件夹"
                            "（git checkout -- fonts/）后重试；未生成任何文件。")


def _ranges(points) -> list[list[int]]:
    ranges: list[list[int]] = []
    for cp in sorted(points):
        if ranges and cp == ranges[-1][1] + 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    return ranges


def compute_coverage() -> dict:
    """Code points of the serif and of the sans (the 楷 face and the bold serif fall back to
    them, so they add nothing that must be covered), as ranges."""
    from fontTools.ttLib import TTFont

    return {"fonts": {n: (FONTS_DIR / n).stat().st_size for n in COVERAGE_FONTS.values()},
            "files": {n: (FONTS_DIR / n).stat().st_size for n in FONT_FILES},
            **{kind: _ranges(TTFont(FONTS_DIR / name, lazy=True)["cmap"].getBestCmap())
               for kind, name in COVERAGE_FONTS.items()}}


@lru_cache(maxsize=None)
def covered(kind: str = "any") -> frozenset[int]:
    """Read from fonts/coverage.json (``make fonts-coverage``), which records the sizes of the
    fonts it was made from; reading the cmaps themselves takes 0.4 s, so that is done only
    when the file is missing or stale."""
    import json

    data = None
    if COVERAGE.is_file():
        data = json.loads(COVERAGE.read_text(encoding="utf-8"))
        sizes = {n: (FONTS_DIR / n).stat().st_size for n in COVERAGE_FONTS.values()
                 if (FONTS_DIR / n).is_file()}
        if len(sizes) < len(COVERAGE_FONTS):
            verify_fonts()  # a missing font: say so, in words
        if data.get("fonts") != sizes:
            data = None
    if data is None:
        data = compute_coverage()
    kinds = ("serif", "sans") if kind == "any" else (kind,)
    points: set[int] = set()
    for k in kinds:
        for start, end in data[k]:
            points.update(range(start, end + 1))
    return frozenset(points)


def write_coverage() -> None:
    import json

    COVERAGE.write_text(json.dumps(compute_coverage(), separators=(",", ":")) + "\n",
                        encoding="utf-8")


# printed as nothing or as layout: no glyph needed
_LAYOUT = frozenset(" \n\r\t")
# never printed, whatever a font has for them: controls, format characters (zero-width
# spaces, direction overrides: U+202E reverses a line), private use, unassigned, surrogates,
# line and paragraph separators
_NEVER = frozenset(("Cc", "Cf", "Co", "Cn", "Cs", "Zl", "Zp"))


def _never(ch: str) -> bool:
    return ch not in _LAYOUT and unicodedata.category(ch) in _NEVER


def missing(text: str, kind: str = "any") -> list[str]:
    """Characters of ``text`` that would not print as themselves: not in the fonts (every
    character needs a glyph but a space, a tab or a line break), or never printable."""
    have = covered(kind)
    return sorted({ch for ch in text if ch not in _LAYOUT and (ord(ch) not in have or _never(ch))})


@dataclass(frozen=True)
class Place:
    text: str
    problem: Problem  # where the text comes from (file, row, column)
    kind: str = "any"  # "sans": drawn by ReportLab (ledger, charts), which has no fallback


class GlyphError(ReportError):
    exit_code = 2

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))

    def __reduce__(self):  # rebuilt from its problems when it crosses a process boundary
        return type(self), (self.problems,)


def describe(ch: str) -> str:
    """``字符“𠀀”（U+20000 …）``; an invisible or control character by its code only:
    ``不可见字符 U+202E（RIGHT-TO-LEFT OVERRIDE）``."""
    name = unicodedata.name(ch, "")
    if unicodedata.category(ch) == "Co":
        return f"私用区字符 U+{ord(ch):04X}："
    if not ch.isprintable() or _never(ch):
        return f"不可见字符 U+{ord(ch):04X}{f'（{name}）' if name else ''}："
    return f"字符“{ch}”（U+{ord(ch):04X}{' ' + name if name else ''}）"


INVISIBLE_ADVICE = ("这是不可见的控制字符（常在从网页、微信或其他文档复制时带入；方向控制字符会让文字倒序显示），"
                    "印不出来或会打乱排版。请删除这个字符。")


PRIVATE_ADVICE = ("这是私用区的字符（某台电脑上的造字或图标），换一台电脑或一种字体就是另一个字或方框。"
                  "请改用规范字（必要时加注）。")


def _advice(ch: str) -> str:
    if unicodedata.category(ch) == "Co":
        return PRIVATE_ADVICE
    return INVISIBLE_ADVICE if _never(ch) else ADVICE


ADVICE = ("内置字体中没有这个字，印出来会是方框。请改用规范字或同音字（必要时加注），"
          "或在 fonts/ 中加入包含此字的字体并写入 templates/css/fonts.css。")


def check(places: list[Place], html: str | None = None) -> None:
    """Raise GlyphError listing every uncovered character with its place."""
    problems: list[Problem] = []
    seen: set[str] = set()
    by_kind: dict[str, set] = {}
    for place in places:  # every character once: thousands of ledger cells share them
        by_kind.setdefault(place.kind, set()).update(place.text)
    if not any(missing("".join(chars), kind) for kind, chars in by_kind.items()):
        places = ()  # nothing missing; else say where, place by place
    for place in places:
        for ch in missing(place.text, place.kind):
            seen.add(ch)
            p = place.problem
            where = "" if place.kind == "any" else "（附表和图表用 Noto Sans SC 排版）"
            problems.append(Problem(f"{describe(ch)}{where}{_advice(ch)}", file=p.file,
                                    sheet=p.sheet, row=p.row, column=p.column,
                                    value=place.text))
    if html is not None:
        text = _TAGS.sub(" ", html.split("<body", 1)[-1])
        import html as _html
        for ch in missing(_html.unescape(text)):
            if ch not in seen:
                problems.append(Problem(f"{describe(ch)}出现在模板文字中。{_advice(ch)}",
                                        file="模板"))
    if problems:
        raise GlyphError(problems)
