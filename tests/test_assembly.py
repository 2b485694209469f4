"""The two-engine PDF: WeasyPrint's designed pages with ReportLab's ledger and charts stamped
in. Page numbers and totals, the contents' page for 附表, where the ledger's first and last
rows land, no row split, fonts of both engines, data printed literally, same result as the
all-WeasyPrint path."""

from __future__ import annotations

import logging
import re
import shutil

import pytest
from conftest import SAMPLE, SMALL_PROJECTS, write_dataset
from pdfcheck import BUNDLED_FONTS, flat, fonts, pages_text, text

from reports.figures.compute import Period
from reports.products.briefing import build

PERIOD = Period(2026, 10)


@pytest.fixture(scope="module")
def totals_sample(tmp_path_factory):
    """The sample with 第 N 页 共 M 页 page numbers."""
    data = tmp_path_factory.mktemp("data")
    for f in SAMPLE.iterdir():
        if f.is_file():
            shutil.copy(f, data / f.name)
    config = data / "config.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        'page_numbers = "gongwen"', 'page_numbers = "total"'), encoding="utf-8")
    return build(data, PERIOD, tmp_path_factory.mktemp("out"))


def test_page_numbers_and_total_on_first_middle_last(totals_sample):
    texts = pages_text(totals_sample.pdf)
    n = len(texts)
    assert n == totals_sample.pages >= 9
    for i in (0, n // 2, n - 1):
        assert f"第{i + 1}页共{n}页" in flat(texts[i]), (i, flat(texts[i])[-40:])


def test_ledger_rows_land_where_they_should(totals_sample):
    texts = [flat(t) for t in pages_text(totals_sample.pdf)]
    ledger = totals_sample.figures.ledger
    start = next(i for i, t in enumerate(texts) if "附表1-10月签约项目明细" in t and i > 0)
    # the contents box on page 1 names the page where the ledger starts
    m = re.search(r"附表1-10月签约项目明细\.*(\d+)", texts[0])
    assert m and int(m.group(1)) == start + 1
    first, last = ledger[0].project, ledger[-1].project
    assert flat(first.name) in texts[start] and flat(first.investor) in texts[start]
    end = next(i for i, t in enumerate(texts) if f"合计（{len(ledger)}个项目）" in t)
    assert flat(last.investor) in texts[end]
    assert end > start
    for t in texts[start:end + 1]:  # the header row is on every ledger page
        for word in ("序号", "项目名称", "市州", "产业", "投资方", "签约日期", "签约金额", "到位资金"):
            assert word in t


def test_both_engines_fonts_embedded(totals_sample):
    rows = fonts(totals_sample.pdf)
    kinds = {r["name"]: r for r in rows}
    assert {"NotoSansSC-Regular", "NotoSansSC-Bold"} <= set(kinds)  # ReportLab's
    assert {"Noto-Serif-SC", "Noto-Sans-SC"} <= set(kinds)  # WeasyPrint's
    for r in rows:
        assert r["name"] in BUNDLED_FONTS and r["emb"] == "yes" and r["uni"] == "yes", r


def test_ledger_row_never_split(tmp_path):
    import io

    from reports.typeset.ledger import draw, paginate
    from reports.typeset.rlfonts import canvas
    long_name = "这是一个非常长的项目名称用来测试换行" * 3
    rows = [(str(i), f"{i:03d}{long_name}", "西宁", "新能源", "甲公司", "2026-01-01", "1.00", "0.10")
            for i in range(1, 80)]
    buf = io.BytesIO()
    c = canvas(buf, (595.27, 841.89))
    layout = draw(c, paginate(rows, ("", "合计", "", "", "", "", "79.00", "7.90")))
    c.save()
    (tmp_path / "l.pdf").write_bytes(buf.getvalue())
    texts = [flat(t) for t in pages_text(tmp_path / "l.pdf")]
    assert len(texts) == layout.pages > 3
    for i in range(1, 80):
        whole = flat(f"{i:03d}{long_name}")
        holders = [p for p, t in enumerate(texts) if whole in t]
        assert len(holders) == 1, (i, holders)  # the whole wrapped name on one page


def test_markup_in_data_printed_literally_by_reportlab(tmp_path):
    projects = [list(r) for r in SMALL_PROJECTS]
    projects[2][1] = '<img src="/etc/passwd"/><font color="red">红</font><a href="x">'
    projects[3][4] = "<b>未闭合 & <i>"
    folder = write_dataset(tmp_path / "d", projects=projects)
    result = build(folder, Period(2025, 3), tmp_path / "out")
    body = flat(text(result.pdf))
    assert flat('<img src="/etc/passwd"/><font color="red">红</font><a href="x">') in body
    assert flat("<b>未闭合 & <i>") in body


def test_same_content_as_all_weasyprint_path(tmp_path):
    folder = write_dataset(tmp_path / "d")
    fast = build(folder, Period(2025, 3), tmp_path / "fast")
    naive = build(folder, Period(2025, 3), tmp_path / "naive", engine="weasyprint")
    a, b = flat(text(fast.pdf)), flat(text(naive.pdf))
    for project in fast.figures.ledger:
        assert flat(project.project.name) in a and flat(project.project.name) in b
    for phrase in ("签约金额4.48亿元，同比增长149.1%", "合计（3个项目）", "4.48", "报送："):
        assert phrase in a and phrase in b
    assert fast.pages == naive.pages


def test_missing_harfbuzz_subset_warns(monkeypatch, caplog, small_data, tmp_path):
    import reports.typeset.render as render
    monkeypatch.setattr(render, "_checked", False)
    monkeypatch.setattr(render, "harfbuzz_subset_available", lambda: False)
    with caplog.at_level(logging.WARNING, logger="reports"):
        build(small_data, Period(2025, 3), tmp_path / "out")
    assert any("libharfbuzz-subset0" in r.getMessage() for r in caplog.records)


def test_harfbuzz_subset_installed():
    """make test installs libharfbuzz-subset0 (fontTools subsetting is ten times slower)."""
    from reports.typeset.render import harfbuzz_subset_available
    assert harfbuzz_subset_available()


def test_ledger_text_must_be_in_the_sans(tmp_path):
    """𠮷 (U+20BB7) is in the serif but not in Noto Sans SC, which ReportLab draws the ledger
    with and cannot fall back from: a clear error, not a blank in the ledger."""
    from reports.typeset.glyphs import GlyphError, covered
    assert 0x20BB7 in covered("serif") and 0x20BB7 not in covered("sans")
    projects = [list(r) for r in SMALL_PROJECTS]
    projects[2][4] = "\U00020BB7野家投资有限公司"  # investor of P3, a 2025-03 ledger row
    folder = write_dataset(tmp_path / "d", projects=projects)
    with pytest.raises(GlyphError) as info:
        build(folder, Period(2025, 3), tmp_path / "out")
    assert "U+20BB7" in str(info.value) and "Noto Sans SC" in str(info.value)
    assert "第4行 “投资方”列" in str(info.value)
    assert not (tmp_path / "out").exists()


def test_width_table_matches_reportlab():
    """The ledger is paginated from fonts/metrics.json; ReportLab draws it. Both must agree
    to the point, or a row could overflow its page."""
    import json

    from reportlab.pdfbase.pdfmetrics import stringWidth

    from reports.typeset.ledger import _Widths
    from reports.typeset.metrics import METRICS, compute_metrics
    from reports.typeset.rlfonts import BOLD, REGULAR, register_fonts
    assert json.loads(METRICS.read_text(encoding="utf-8")) == compute_metrics(), \
        "fonts changed: run `make fonts-coverage`"
    register_fonts()
    text = "海西蒙古族藏族自治州ABCxyz0123456789（二期）、。%—·ａ𠮷"
    for face, name in (("regular", REGULAR), ("bold", BOLD)):
        ours = _Widths(face, 8.5)
        assert abs(sum(ours[c] for c in text) - stringWidth(text, name, 8.5)) < 1e-9
