"""A long ledger's middle pages inserted after layout instead of laid out (typeset/placement.py,
issue 21): the PDF must be the one a full layout gives — the same text on every page, the
same page numbers, each footer in the same face and size at the same place as WeasyPrint's
own, each inserted page a table in the structure tree — and when the footer is not one it
can reproduce (a template's own), everything is laid out instead."""

from __future__ import annotations

import logging
import shutil

import pdfplumber
import pikepdf
import pytest
from conftest import SAMPLE
from pdfcheck import flat, pages_text
from structtree import read as read_structure

from reports.figures.compute import Period
from reports.products.briefing import build
from reports.typeset import placement

PERIOD = Period(2026, 10)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The sample (4 ledger pages: 2 and 3 inserted) and the same laid out in full."""
    gap = build(SAMPLE, PERIOD, tmp_path_factory.mktemp("gap"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(placement, "gap_size", lambda pages: 0)
        full = build(SAMPLE, PERIOD, tmp_path_factory.mktemp("full"))
    return gap, full


def footers(pdf) -> dict[int, tuple]:
    """Page number → (footer text, left edge, right edge, baseline, font size (pt), font)."""
    found = {}
    with pdfplumber.open(pdf) as doc:
        for number, page in enumerate(doc.pages, 1):
            chars = [c for c in page.chars if c["top"] > page.height - 80]
            if chars:
                found[number] = ("".join(c["text"] for c in chars), chars[0]["x0"],
                                 chars[-1]["x1"], chars[0]["matrix"][5],
                                 {round(c["size"], 3) for c in chars},
                                 chars[0]["fontname"].split("+")[-1])
    return found


def test_gap_sizes_are_even_and_keep_first_and_last():
    assert [placement.gap_size(n) for n in range(1, 9)] == [0, 0, 0, 2, 2, 4, 4, 6]


def test_the_same_pages_as_a_full_layout(built):
    gap, full = built
    assert gap.pages == full.pages == 12
    a, b = pages_text(gap.pdf), pages_text(full.pdf)
    assert len(a) == len(b) == 12
    for number, (x, y) in enumerate(zip(a, b), 1):
        assert flat(x) == flat(y), number
    # the inserted pages hold ledger rows under the repeated header
    assert "序号项目名称" in flat(a[8]) and "序号项目名称" in flat(a[9])


def test_footers_of_inserted_pages_are_weasyprints(built):
    gap, full = built
    ours, theirs = footers(gap.pdf), footers(full.pdf)
    assert ours.keys() == theirs.keys()
    assert {9, 10} <= ours.keys()  # the inserted pages
    # drawn by us in ReportLab's subset of the same face (the proof they were inserted)
    assert {ours[n][5] for n in (9, 10)} == {"NotoSansSC-Regular"}
    assert {theirs[n][5] for n in (9, 10)} == {ours[n][5] for n in (8, 11)} == {"Noto-Sans-SC"}
    for number, (text, left, right, baseline, sizes, _) in ours.items():
        assert flat(text) == f"—{number}—"
        t = theirs[number]
        assert flat(t[0]) == flat(text)
        assert abs(left - t[1]) < 0.01 and abs(right - t[2]) < 0.01, number
        assert abs(baseline - t[3]) < 0.01 and sizes == t[4] == {14.0}, number
    odd = {round(v[2], 2) for n, v in ours.items() if n % 2}  # right-hand pages: right edge
    even = {round(v[1], 2) for n, v in ours.items() if n % 2 == 0}  # left-hand: left edge
    assert len(odd) == 1 and len(even) == 1


def test_inserted_pages_are_tables_in_order(built):
    gap, _ = built
    doc, pdf = read_structure(gap.pdf)
    try:
        ledgers = [t for t in doc.find("Table") if t.find("TR")
                   and [c.all_text() for c in t.find("TR")[0].kids][:2] == ["序号", "项目名称"]
                   and len(t.find("TR")[0].kids) == 8]
        assert len(ledgers) == 4
        numbers = [int(tr.kids[0].all_text()) for t in ledgers for tr in t.find("TR")
                   if tr.kids[0].all_text().isdigit()]
        assert numbers == list(range(1, len(gap.figures.ledger) + 1))
        assert stamped_table_pages(pdf) == [7, 8, 9, 10]  # one a page, in page order
    finally:
        pdf.close()


def stamped_table_pages(pdf) -> list[int]:
    """The page index (/Pg) of each /Table whose cells are in a stamped form, in document
    order."""
    index = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}
    found, stack = [], [pdf.Root.StructTreeRoot]
    while stack:
        elem = stack.pop()
        kids = elem.get("/K")
        kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids else []
        kids = [k for k in kids if isinstance(k, pikepdf.Dictionary)]
        if elem.get("/S") == "/Table" and kids and kids[0].get("/S") == "/TR":
            cell = kids[0].K[0]
            if "/Stm" in cell.get("/K", {}):
                found.append(index[elem.Pg.objgen])
        stack.extend(reversed(kids))
    return found


def test_a_footer_it_cannot_draw_means_a_full_layout(tmp_path, caplog):
    """A template's own footer (第8页) is not in the characters ReportLab embedded for the
    inserted pages: everything is laid out, the numbering right on every page."""
    user = tmp_path / "tpl"
    (user / "css").mkdir(parents=True)
    (user / "css" / "page.css").write_text(
        '{% include "!css/page.css" %}\n'
        '@page :right { @bottom-right { content: "第" counter(page) "页"; } }\n'
        '@page :left { @bottom-left { content: "第" counter(page) "页"; } }\n',
        encoding="utf-8")
    data = tmp_path / "data"
    shutil.copytree(SAMPLE, data)
    with caplog.at_level(logging.INFO, logger="reports"):
        result = build(data, PERIOD, tmp_path / "out", template_dir=user)
    assert "改为全部排版" in caplog.text
    texts = pages_text(result.pdf)
    assert len(texts) == result.pages == 12
    for number in range(1, 11):
        assert f"第{number}页" in flat(texts[number - 1]), number
