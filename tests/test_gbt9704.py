"""The briefing laid out as GB/T 9704-2012 and 简报 practice expect: the 版记 at the foot of
an even last page, one page geometry for WeasyPrint's and ReportLab's pages, no heading or lead
left at a page foot, a ledger whose cells wrap like an editor's."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace as NS

import pdfplumber
import pytest
from pdfcheck import flat, pages_text

from reports.figures.compute import Period
from reports.products import monthly
from reports.typeset.ledger import _Widths, paginate, wrap
from reports.typeset.theme import THEME

from conftest import SAMPLE

MM = 72 / 25.4
TYPE_TOP = THEME.margin_top * MM  # pt from the page top
TYPE_BOTTOM = (THEME.page_height - THEME.margin_bottom) * MM


@pytest.fixture(scope="module")
def haixi(tmp_path_factory):
    """The sample's 海西州 job as report monthly builds it."""
    archive = tmp_path_factory.mktemp("archive")
    result = monthly.run(SAMPLE, archive, Period(2026, 10), progress=False,
                         today=date(2026, 11, 3))
    assert result.exit_code == 0
    return archive / "2026" / "10" / "海西州.pdf"


def _pdfs(sample, haixi):
    return {"全省": sample.pdf, "海西州": haixi}


def _horizontal_rules(page):
    """y (pt from the top) of the horizontal lines and thin rectangles drawn on a page."""
    ys = [line["top"] for line in page.lines if abs(line["top"] - line["bottom"]) < 0.5]
    ys += [r["bottom"] for r in page.rects if r["width"] > 100]  # WeasyPrint's borders
    return ys


@pytest.mark.parametrize("job", ["全省", "海西州"])
def test_colophon_at_the_foot_of_an_even_last_page(sample, haixi, job):
    pdf = _pdfs(sample, haixi)[job]
    texts = pages_text(pdf)
    assert len(texts) % 2 == 0, f"{job}: {len(texts)} pages, the 版记 page must be even"
    last = flat(texts[-1])
    assert "报送：" in last and "抄送：" in last and "共印" in last
    assert all("报送：" not in flat(t) for t in texts[:-1])  # once, on the last page only
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[-1]
        # the 版记's last rule on the bottom edge of the type area (§7.4.1)
        lowest = max(_horizontal_rules(page))
        assert abs(lowest - TYPE_BOTTOM) < 1.5, (lowest, TYPE_BOTTOM)
        words = page.extract_words()
        copies = next(w for w in words if "共印" in w["text"])
        assert copies["bottom"] < lowest and lowest - copies["bottom"] < 12
        # 共印 on a line of its own, at the right, one character in
        assert not [w for w in words if abs(w["top"] - copies["top"]) < 2 and w is not copies]
        right = (THEME.page_width - THEME.margin_left) * MM  # an even page: binding right
        assert right - 20 < copies["x1"] < right - 8


def test_colophon_wraps_after_the_colon_and_never_inside_a_name(sample):
    with pdfplumber.open(sample.pdf) as doc:
        page = doc.pages[-1]
        lines = {}
        for ch in page.chars:
            lines.setdefault(round(ch["top"]), []).append(ch)
        rows = [sorted(cs, key=lambda c: c["x0"]) for _, cs in sorted(lines.items())]
        texts = ["".join(c["text"] for c in row) for row in rows]
        label = next(i for i, t in enumerate(texts) if t.startswith("抄送："))
        after_colon = rows[label][3]["x0"]  # the first character after "抄送："
        left = (THEME.margin_right) * MM  # an even page: its left margin is the narrow one
        assert abs(rows[label][0]["x0"] - (left + 14)) < 2  # one character (14 pt) in
        following = rows[label + 1]
        assert abs(following[0]["x0"] - after_colon) < 1  # aligned under it
        # no name of the config split across the lines
        names = ["省发展改革委", "省商务厅", "省工业和信息化厅", "各市州人民政府"]
        for name in names:
            assert any(name in t for t in texts[label:label + 2]), (name, texts[label:label + 2])


@pytest.mark.parametrize("job", ["全省", "海西州"])
def test_one_page_geometry(sample, haixi, job):
    """Every page — WeasyPrint's and the ReportLab-drawn 附表 — has its text within the same
    type area and its page number on the same baseline (the inserted ledger pages' numbers
    are in ReportLab's embedding of the face, whose ascent, and so pdfplumber's "top",
    differs from WeasyPrint's)."""
    pdf = _pdfs(sample, haixi)[job]
    with pdfplumber.open(pdf) as doc:
        numbers = set()
        for n, page in enumerate(doc.pages, 1):
            words = page.extract_words()
            number = [w for w in words if w["text"] in (f"—{n}—", str(n))
                      and w["top"] > TYPE_BOTTOM]
            body = [w for w in words if w["top"] < TYPE_BOTTOM + 2]
            assert body, n
            assert min(w["top"] for w in body) >= TYPE_TOP - 1, (job, n)
            assert max(w["bottom"] for w in body) <= TYPE_BOTTOM + 1, (job, n)
            if number:
                foot = [c for c in page.chars if c["top"] > TYPE_BOTTOM]
                numbers.update(round(c["matrix"][5], 2) for c in foot)
        assert len(numbers) == 1, numbers


def _page_of(texts, needle):
    """The last page carrying ``needle``: a heading's own, not the contents box's."""
    return max(i for i, t in enumerate(texts) if needle in flat(t))


@pytest.mark.parametrize("job", ["全省", "海西州"])
def test_no_heading_stranded_from_its_table(sample, haixi, job):
    texts = pages_text(_pdfs(sample, haixi)[job])
    area = "市州" if job == "全省" else "县区"
    pairs = [(f"二、分{area}情况", f"各{area}招商引资主要指标"),
             ("三、分产业情况", "分产业招商引资情况"),
             ("四、月度走势", "月度到位资金走势"),
             ("五、重点项目", "重点签约项目"),
             ("（一）三类500强企业", "重点企业投资项目"),
             ("（二）投资方来源地", "投资方来源地（前")]
    for heading, caption in pairs:
        assert _page_of(texts, heading) == _page_of(texts, caption), (job, heading)


# -- the 附表's cells -------------------------------------------------------------------------
def _sample_ledger():
    from reports.data.validate import load_dataset
    from reports.figures.compute import compute
    from reports.figures.ledger_cells import ledger_cells

    ds = load_dataset(SAMPLE)
    f = compute(ds, Period(2026, 10))
    return ledger_cells(f, ds.config, f.ledger)


def test_sample_ledger_has_no_lone_characters():
    rows, total = _sample_ledger()
    p = paginate(rows, total)
    wrapped = [cell for lines, _ in p.rows for cell in lines if len(cell) > 1]
    assert not [c for c in wrapped if len(c[-1]) == 1]  # no lone "目"
    assert not [c for c in wrapped if c[-1] in ("公司", "项目", "目")]
    assert not [c for c in wrapped if any(line.startswith(("期）", "）")) for line in c)]
    rows_wrapped = sum(1 for lines, _ in p.rows if max(len(c) for c in lines) > 1)
    assert rows_wrapped <= len(rows) * 0.3, rows_wrapped  # was 52 of 122
    assert p.header[6] == ["签约金额", "（亿元）"] and p.header[7] == ["到位资金", "（亿元）"]


def test_numbers_never_wrap_on_long_ledgers():
    rows = [(str(i), "西宁光伏新材料产业园（二期）扩建项目", "海西州", "绿色有机农畜产品",
             "中国盛瑞电力投资集团有限公司", "2026-01-06", "1234.56", "97.31")
            for i in range(1, 3001)]
    p = paginate(rows, ("", "合计（3000个项目）", "", "", "", "", "3703680.00", "291930.00"))
    for lines, _ in p.rows:
        for col in (0, 2, 5, 6, 7):
            assert len(lines[col]) == 1, lines[col]
    assert [len(c) for c in p.total[0]][6:] == [1, 1]


def test_wrap_balances_and_keeps_brackets():
    widths = _Widths("regular", 8.5)
    one = widths.of("中")
    # 11 characters in a 10-character column: 6 + 5, not 10 + a lone 目
    assert wrap("西宁锂电池正极材料项目", widths, one * 10).split("\n") == ["西宁锂电池正",
                                                                         "极材料项目"]
    lines = wrap("德令哈枸杞种植加工（二期）项目", widths, one * 9).split("\n")
    assert any("（二期）" in line for line in lines), lines
    assert wrap("中国恒锦化工集团有限公司", widths, one * 10).split("\n")[-1] != "公司"


def test_ledger_widow_rows_move_to_the_last_page():
    """A last page never carries one or two rows and the 合计 alone."""
    for n in range(20, 90):
        rows = [(str(i), "项目", "西宁", "新能源", "公司", "2026-01-06", "1.00", "0.10")
                for i in range(1, n + 1)]
        p = paginate(rows, ("", "合计", "", "", "", "", "1", "1"))
        if p.pages > 1:
            assert not p.total_on_new_page
            assert n - p.starts[-1] >= 4, (n, p.starts)


def test_where_the_colophon_goes():
    """After the first layout: stays on an even page; moves on from an odd page it shares
    with text; from an odd page it has to itself, moves on leaving that page blank (and then,
    §7.5, neither page is numbered)."""
    from reports.typeset.placement import check_colophon, colophon_move

    def doc(*anchors):
        return NS(pages=[NS(anchors={a: (0, 0) for a in page}) for page in anchors])

    assert colophon_move(doc((), ("text-end", "colophon"))) is None
    assert colophon_move(doc(("text-end", "colophon"),)) == "even"
    assert colophon_move(doc((), (), ("text-end", "colophon"))) == "even"
    assert colophon_move(doc((), ("text-end",), ("colophon",))) == "bare"
    assert colophon_move(doc((), ())) is None  # a template without a 版记
    check_colophon(doc((), ("colophon",)))
    with pytest.raises(Exception, match="版记排在第3页"):
        check_colophon(doc((), (), ("colophon",)))


def test_blank_page_and_colophon_page_unnumbered(tmp_path, monkeypatch):
    """The 'bare' case laid out for real: a blank page, then the 版记 page, both without a
    page number; every other page numbered. Its two pages are laid out alone and put after
    the pages of the first layout: the same pages as laying out the whole briefing again."""
    from reports.products import briefing
    from reports.products.briefing import build

    from conftest import write_dataset

    folder = write_dataset(tmp_path / "d")
    # a 版记 long enough to need a page of its own after the text
    config = folder / "config.toml"
    names = ", ".join(f'"第{i}厅局"' for i in range(1, 100))  # about half a page
    config.write_text(config.read_text(encoding="utf-8").replace(
        'copy_to = ["省商务厅"]', f"copy_to = [{names}]"), encoding="utf-8")
    result = build(folder, Period(2025, 3), tmp_path / "out")
    texts = pages_text(result.pdf)
    assert len(texts) == 8 and "抄送：" in flat(texts[-1]) and "共印50份" in flat(texts[-1])
    assert flat(texts[-2]) == ""  # the blank page, not even a page number
    assert "—" not in texts[-1]  # nor on the 版记 page
    assert flat(texts[-3]).endswith("—6—")  # the pages before keep theirs
    # the whole layout again (no shortcut) gives the same pages
    monkeypatch.setattr(briefing.Prepared, "colophon_page", lambda self: "")
    again = build(folder, Period(2025, 3), tmp_path / "again")
    assert pages_text(again.pdf) == texts


@pytest.fixture(scope="module")
def haixi_both(tmp_path_factory):
    """The 海西州 job, whose 版记 shares an odd page with text after the first layout, with
    the 版记's page laid out by itself (the usual way) and with the whole briefing laid out
    again (as before)."""
    from reports.data.validate import load_dataset
    from reports.products import briefing
    from reports.products.jobs import scoped

    ds = load_dataset(SAMPLE)
    job = next(j for j in ds.config.jobs if j.name == "海西州")

    def make():
        prep = briefing.prepare(SAMPLE, Period(2026, 10), issue_number=7, dataset=scoped(ds, job))
        return briefing.render_briefing(prep)

    from reports.products import layout
    from reports.typeset import render

    moved, layouts = [], []
    tail, lay_out = layout.colophon_tail, render.render
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(layout, "colophon_tail",
                   lambda *a: moved.append(a[3]) or tail(*a))
        mp.setattr(render, "render", lambda html, *a: layouts.append(len(html)) or
                   lay_out(html, *a))
        quick = make()
        whole = sum(size > 10_000 for size in layouts)  # the briefing, not the 版记's page
        mp.setattr(layout, "colophon_tail", lambda parts, f, document, move, gap:
                   (document, move))
        full = make()
    assert moved == ["even"]  # the case this is about
    # one layout of the whole briefing fewer (besides it, the one without a contents box)
    assert sum(size > 10_000 for size in layouts) - whole == whole + 1
    out = tmp_path_factory.mktemp("haixi")
    (out / "quick.pdf").write_bytes(quick.pdf)
    (out / "full.pdf").write_bytes(full.pdf)
    return out / "quick.pdf", out / "full.pdf"


def test_colophon_page_laid_out_alone_is_the_full_layouts(haixi_both):
    """Laying out only the 版记's page gives the pages a second layout of the whole briefing
    gives: the same text on each, the 版记 at the same place on the last, even page, the
    same page numbers."""
    quick, full = haixi_both
    a, b = pages_text(quick), pages_text(full)
    assert len(a) == len(b) and len(a) % 2 == 0
    assert [flat(x) for x in a] == [flat(y) for y in b]
    assert "抄送：" in a[-1] and "抄送：" not in a[-2]
    with pdfplumber.open(quick) as q, pdfplumber.open(full) as f:
        for pq, pf in zip(q.pages, f.pages):
            cq = [(c["text"], round(c["x0"], 2), round(c["matrix"][5], 2)) for c in pq.chars]
            cf = [(c["text"], round(c["x0"], 2), round(c["matrix"][5], 2)) for c in pf.chars]
            assert cq == cf, pq.page_number
