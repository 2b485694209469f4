"""Helpers that look at a PDF the way a reader does: text, fonts, pages, outline, metadata."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from pypdf import PdfReader

# PostScript names of the bundled faces as they appear in the PDF (subset prefix removed)
BUNDLED_FONTS = {"Noto-Serif-SC", "Noto-Serif-SC-Bold", "Noto-Sans-SC", "Noto-Sans-SC-Bold",
                 "LXGW-WenKai", "NotoSerifSC-Regular", "NotoSerifSC-Bold",
                 "NotoSansSC-Regular", "NotoSansSC-Bold", "LXGWWenKai-Regular"}


def text(pdf: Path, first: int | None = None, last: int | None = None) -> str:
    args = ["pdftotext", "-enc", "UTF-8"]
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    return subprocess.run(args + [str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout


def flat(s: str) -> str:
    """Text without any whitespace: CJK lines break anywhere, so compare without breaks."""
    return re.sub(r"\s+", "", s)


def pages_text(pdf: Path) -> list[str]:
    return text(pdf).split("\f")[:-1]


def fonts(pdf: Path) -> list[dict]:
    out = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True,
                         text=True).stdout.splitlines()[2:]
    rows = []
    for line in out:
        parts = line.split()
        name = parts[0]
        # columns from the right: emb sub uni object ID
        rows.append({"name": name.split("+", 1)[-1], "emb": parts[-5], "sub": parts[-4],
                     "uni": parts[-3]})
    return rows


def outline_titles(pdf: Path) -> list[str]:
    reader = PdfReader(str(pdf))
    titles = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)
    walk(reader.outline)
    return titles


def section_pages(pdf: Path) -> dict[str, tuple[int, int]]:
    """Top-level bookmark title → (first page, last page), 1-based: where each section is."""
    reader = PdfReader(str(pdf))
    starts = [(item.title, reader.get_destination_page_number(item) + 1)
              for item in reader.outline if not isinstance(item, list)]
    starts.sort(key=lambda s: s[1])
    out = {}
    for i, (title, first) in enumerate(starts):
        last = starts[i + 1][1] - 1 if i + 1 < len(starts) else len(reader.pages)
        out[title] = (first, max(first, last))
    return out
