"""Fonts the bureau supplies ([fonts] in config.toml: 仿宋_GB2312, 方正小标宋 … in the data
folder's assets/): checked before anything is laid out, used by the briefing's stylesheet,
and held to their coverage after the layout.

- **Checked**: a font file (TrueType/OpenType, not a collection), readable (fontTools), with
  Chinese in it, whose licence lets it be embedded (OS/2 fsType not "restricted licence").
- **Used**: each role gets its own family (``Bureau Body`` …) first in its font stack, the
  bundled face behind it; with ``grid`` the strict GB/T 9704 style: 3号 (16 pt) body on 22
  lines × 28 characters of the 156 × 225 mm type area.
- **Glyph-covered**: a character the supplied body font lacks would quietly print in the
  bundled Noto Serif SC behind it — one line in two typefaces. The body stack is the only one
  that reaches the bundled serif's regular face, so after the layout every character embedded
  from that face is one the bureau's font lacks: the build stops and names them. Headings are
  short and known: their characters are checked against the fonts' character maps.
"""

from __future__ import annotations

import html as _html
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import ReportError
from .theme import THEME

MM = 72 / 25.4
FAMILIES = {"body": "Bureau Body", "title": "Bureau Title", "heading": "Bureau Heading",
            "kai": "Bureau Kai"}
ROLE_NAMES = {"body": "正文字体", "title": "标题字体", "heading": "一级标题字体",
              "kai": "二级标题字体"}
GRID_LINES, GRID_CHARS, GRID_SIZE = 22, 28, 16  # GB/T 9704 §5.2.2: 3号, 22 lines × 28
_MAGIC = (b"\x00\x01\x00\x00", b"true", b"OTTO")
_SAMPLE = "招商引资工作简报一二三四五六年月日"  # a Chinese font has these


class FontError(ReportError):
    exit_code = 2


@dataclass(frozen=True)
class Face:
    role: str
    file: str  # as written in config.toml
    path: Path
    digest: str  # of the file's content

    @property
    def family(self) -> str:
        """The role's family with the content's digest: WeasyPrint registers every
        @font-face with one fontconfig for the whole process, where an earlier "Bureau Body"
        (another data folder's, or this file before it was replaced) would still match."""
        return f"{FAMILIES[self.role]} {self.digest}"


def faces(cfg) -> list[Face]:
    """The supplied fonts, each checked (FontError otherwise)."""
    out = []
    for role, file in cfg.fonts.given.items():
        path = (cfg.path.parent / file).resolve()
        stat = path.stat()
        digest = _check(path, file, ROLE_NAMES[role], stat.st_mtime_ns, stat.st_size)
        out.append(Face(role, file, path, digest))
    return out


@lru_cache(maxsize=16)
def _check(path: Path, file: str, role: str, _mtime: int, _size: int) -> str:
    """Raise FontError for a file that is no usable font; return its content's digest."""
    from fontTools.ttLib import TTFont, TTLibError

    from ..data.load import sha256_file

    where = f"config.toml [fonts] 的{role} {file}"
    with open(path, "rb") as f:
        magic = f.read(4)
    if magic == b"ttcf":
        raise FontError(f"错误：{where} 是字体集（.ttc），请给出其中一种字体的 .ttf/.otf 文件")
    if magic not in _MAGIC:
        raise FontError(f"错误：{where} 不是字体文件（应为 .ttf 或 .otf）")
    try:
        font = TTFont(path, lazy=True)
        cmap = font.getBestCmap() or {}
        fs_type = font["OS/2"].fsType if "OS/2" in font else 0
    except (TTLibError, KeyError, AssertionError, OSError, ValueError) as exc:
        raise FontError(f"错误：{where} 无法读取（{exc}），文件可能已损坏") from None
    lacking = [ch for ch in _SAMPLE if ord(ch) not in cmap]
    if len(lacking) > len(_SAMPLE) // 2:
        raise FontError(f"错误：{where} 不是中文字体（没有“{''.join(lacking[:6])}”等字）")
    if fs_type & 0x000F == 0x0002:
        raise FontError(f"错误：{where} 的授权不允许嵌入 PDF（OS/2 fsType：受限授权），"
                        "请换用可嵌入的字体文件")
    return sha256_file(path)[:10]


@lru_cache(maxsize=16)
def _cmap(path: Path, _mtime: int) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    return frozenset((TTFont(path, lazy=True).getBestCmap() or {}).keys())


def stacks(cfg) -> dict:
    """What the stylesheet needs: a font stack per role (the supplied family first, then the
    bundled faces), the weights that go with them (a supplied 黑体 or 小标宋 is one regular
    face: no bold), the @font-face rules, and the grid."""
    from markupsafe import Markup  # the stacks are CSS of ours: their quotes stay quotes

    given = {f.role: f for f in faces(cfg)}
    def first(role: str) -> str:
        return f'"{given[role].family}", ' if role in given else ""

    serif = first("body") + f'"{THEME.serif}"'
    sans = f'"{THEME.sans}", {serif}'
    text_height = THEME.page_height - THEME.margin_top - THEME.margin_bottom
    title = first("title") + f'"{THEME.serif}"'
    heading = first("heading") + sans
    kai = first("kai") + f'"{THEME.kai}", {serif}'
    return {
        "serif": Markup(serif),
        "sans": Markup(sans),
        "title": Markup(title),
        "title_weight": 400 if "title" in given else 700,
        "heading": Markup(heading),
        "heading_weight": 400 if "heading" in given else 700,
        "kai": Markup(kai),
        "faces": [{"family": f.family, "uri": f.path.as_uri()} for f in given.values()],
        "grid": cfg.fonts.grid,
        "grid_size": GRID_SIZE,
        "grid_line": round(text_height / GRID_LINES, 4),  # mm
        "grid_spacing": round(THEME.text_width * MM / GRID_CHARS - GRID_SIZE, 4),  # pt
    }


_HEADINGS = {"title": re.compile(r"<h1[^>]*>(.*?)</h1>", re.S),
             "heading": re.compile(r"<h2[^>]*>(.*?)</h2>", re.S),
             "kai": re.compile(r"<h3[^>]*>(.*?)</h3>", re.S)}
_TAGS = re.compile(r"<[^>]*>")


def check_headings(cfg, html: str) -> None:
    """Every character of the titles and headings in the supplied title and heading fonts."""
    problems = []
    for face in faces(cfg):
        if face.role not in _HEADINGS:
            continue
        have = _cmap(face.path, face.path.stat().st_mtime_ns)
        text = "".join(_html.unescape(_TAGS.sub("", m)) for m in _HEADINGS[face.role].findall(html))
        lacking = sorted({ch for ch in text if not ch.isspace() and ord(ch) not in have})
        if lacking:
            problems.append(f"{ROLE_NAMES[face.role]} {face.file} 中没有“{'”“'.join(lacking)}”")
    if problems:
        raise FontError("错误：" + "；".join(problems) + "。这些字会用内置字体代替，一行两种字体。"
                        "请换用包含这些字的字体文件，或在 config.toml [fonts] 中删去该项改用内置字体。"
                        "未生成任何文件。")


def check_fallback(cfg, pdf: bytes) -> None:
    """After the layout: characters that fell back from the supplied body font to the bundled
    serif (read from the subset of Noto Serif SC Regular embedded, which holds exactly them)."""
    if not cfg.fonts.body:
        return
    from ..pdf.fontuse import characters_in

    # the bundled serif's regular face, as WeasyPrint and ReportLab name it
    fell = characters_in(pdf, {"Noto-Serif-SC", "NotoSerifSC-Regular"})
    if fell:
        shown = "”“".join(sorted(fell)[:20]) + ("”等" if len(fell) > 20 else "”")
        raise FontError(f"错误：正文字体 {cfg.fonts.body} 中没有“{shown}，印出来会用内置的 "
                        f"{THEME.serif} 代替（一行两种字体）。请换用包含这些字的字体文件"
                        "（如 GB18030 字库），或改用规范字；未生成任何文件。")
