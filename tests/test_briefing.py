"""End-to-end: the sample briefing as a reader sees it — figures in the extracted text,
pages, A4, fonts embedded, bookmarks, metadata, reproducibility; and what must not happen."""

from __future__ import annotations

import io
import re

import pytest
from conftest import SAMPLE, SMALL_PROJECTS, write_dataset
from pdfcheck import BUNDLED_FONTS, flat, fonts, outline_titles, pages_text, text
from pypdf import PdfReader

from reports.cli import main
from reports.figures.compute import Period
from reports.figures.fmt import Formatter
from reports.products.briefing import build, prepare
from reports.typeset.glyphs import GlyphError

PERIOD = Period(2026, 10)


def test_headline_figures_in_text(sample):
    f = sample.figures
    fmt = Formatter()
    body = flat(text(sample.pdf))
    expected = [
        f"1-10月，全省新签约招商引资项目{f.signed_projects.value}个",
        f"签约金额{fmt.amount(f.signed.value)}，同比{fmt.growth(f.signed.growth)}",
        f"完成年度目标任务{fmt.amount(f.signed.target)}的{fmt.percent(f.signed.completion)}",
        f"到位资金{fmt.amount(f.funds.value)}，同比{fmt.growth(f.funds.growth)}",
        f"其中省外到位资金{fmt.amount(f.funds_outside.value)}，占{fmt.percent(f.funds_outside_share)}",
        f"引进三类500强企业投资项目{f.top500.projects}个",
    ]
    for phrase in expected:
        assert phrase in body, phrase
    # the figures themselves, as hand-checked once against `report figures --json`
    assert "签约金额2307.75亿元，同比增长4.7%" in body
    assert "到位资金875.09亿元，同比增长27.4%" in body
    assert "均创历届之最" in body
    for r in f.regions:
        assert fmt.amount_in(r.signed.value) in body
    assert "None" not in body and "nan" not in body.lower()


def test_pages_a4_and_page_numbers(sample):
    reader = PdfReader(str(sample.pdf))
    assert len(reader.pages) == sample.pages
    assert 9 <= sample.pages <= 16
    for page in reader.pages:
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(w - 595.28) < 0.5 and abs(h - 841.89) < 0.5
    texts = pages_text(sample.pdf)
    for number, page in enumerate(texts, 1):
        assert f"—{number}—" in flat(page), number


def test_every_font_bundled_embedded_subset(sample):
    rows = fonts(sample.pdf)
    assert rows
    for row in rows:
        assert row["name"] in BUNDLED_FONTS, row
        assert (row["emb"], row["sub"], row["uni"]) == ("yes", "yes", "yes"), row
    names = {r["name"] for r in rows}
    assert any("Serif" in n for n in names) and any("Sans" in n for n in names)
    assert any("Bold" in n for n in names)


def test_bookmarks_metadata_toc(sample):
    titles = outline_titles(sample.pdf)
    for t in ("一、总体情况", "二、分市州情况", "三、分产业情况", "四、月度走势", "五、重点项目",
              "六、重点企业与投资来源", "附表 1-10月签约项目明细"):
        assert any(flat(t) == flat(x) for x in titles), (t, titles)
    reader = PdfReader(str(sample.pdf))
    meta = reader.metadata
    assert meta.title == "青海省招商引资工作简报 2026年第10期（2026年10月）"
    assert meta.author == "青海省投资促进局"
    assert "招商引资" in meta.subject and "签约项目" in (meta.get("/Keywords") or "")
    assert reader.trailer["/Root"].get("/Lang") == "zh-CN"
    assert "/CreationDate" not in meta and "/ModDate" not in meta  # no "now"
    # table of contents: the ledger's entry points at the page where the ledger starts
    first = pages_text(sample.pdf)[0]
    m = re.search(r"附表\s+1-10月签约项目明细\s*\.*\s*(\d+)", first)
    assert m, first
    ledger_page = int(m.group(1))
    assert "附表" in pages_text(sample.pdf)[ledger_page - 1]


def test_ledger_header_repeats_and_rows_complete(sample):
    texts = pages_text(sample.pdf)
    start = next(i for i, t in enumerate(texts) if "签约项目明细" in t and "序号" in t and i > 0)
    for page in texts[start:-1]:
        if "项目名称" in page:
            assert "签约日期" in page  # header row on every ledger page
    body = flat(text(sample.pdf))
    for row in sample.figures.ledger[:: max(1, len(sample.figures.ledger) // 10)]:
        assert flat(row.project.investor) in body


def test_colophon_on_last_page(sample):
    last = flat(pages_text(sample.pdf)[-1])
    assert "报送：省委办公厅" in last and "抄送：" in last and "共印120份" in last


def test_no_weasyprint_warnings(sample):
    assert not sample.weasy_logs, [r.getMessage() for r in sample.weasy_logs]


def test_size_and_name(sample):
    assert sample.size <= 2 * 1024 * 1024
    assert sample.pdf.name == "招商引资工作简报-2026年10月.pdf"


def test_byte_identical_rebuild(sample, tmp_path):
    again = build(SAMPLE, PERIOD, tmp_path)
    assert again.pdf.read_bytes() == sample.pdf.read_bytes()


def test_glyph_check_rejects_uncovered_character(tmp_path):
    projects = [list(r) for r in SMALL_PROJECTS]
    projects[2][1] = "西宁\U00020000储能项目"  # 𠀀 U+20000: in no bundled font
    folder = write_dataset(tmp_path / "d", projects=projects)
    out = tmp_path / "out"
    with pytest.raises(GlyphError) as info:
        build(folder, Period(2025, 3), out)
    message = str(info.value)
    assert "签约项目.csv 第4行 “项目名称”列" in message
    assert "U+20000" in message and "内置字体中没有这个字" in message
    assert not out.exists()
    assert main(["build", "--data", str(folder), "--period", "2025-03", "--out", str(out)]) == 2


def test_bad_data_leaves_earlier_pdf_untouched(tmp_path, capsys):
    folder = write_dataset(tmp_path / "d")
    out = tmp_path / "out"
    assert main(["build", "--data", str(folder), "--period", "2025-03", "--out", str(out)]) == 0
    pdf = out / "测试简报-2025年03月.pdf"
    before = pdf.read_bytes()
    write_dataset(folder, funds=[["PX", "2025-03", "1", ""]])
    assert main(["build", "--data", str(folder), "--period", "2025-03", "--out", str(out)]) == 2
    assert pdf.read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == [pdf.name]  # no temp file left
    assert "找不到这个项目编号" in capsys.readouterr().err


def test_short_briefing_has_no_toc_and_total_page_style(tmp_path):
    config = (write_dataset(tmp_path / "d") / "config.toml")
    config.write_text(config.read_text(encoding="utf-8").replace(
        '[display]\n', '[display]\npage_numbers = "total"\n'), encoding="utf-8")
    result = build(tmp_path / "d", Period(2025, 3), tmp_path / "out")
    texts = pages_text(result.pdf)
    assert result.pages <= 8
    assert "本期要目" not in texts[0]
    assert f"第1页共{result.pages}页" in flat(texts[0])
    assert f"第{result.pages}页共{result.pages}页" in flat(texts[-1])


def test_data_text_is_printed_literally_and_fetches_nothing(tmp_path):
    projects = [list(r) for r in SMALL_PROJECTS]
    projects[2][1] = '<img src="file:///etc/passwd">{{ 7*7 }}'
    projects[2][4] = "<style>@import url(http://169.254.169.254/)</style>"
    folder = write_dataset(tmp_path / "d", projects=projects)
    prep = prepare(folder, Period(2025, 3))
    html = prep.html(toc=False)
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;{{ 7*7 }}" in html
    from reports.typeset.render import RestrictedFetcher, render
    from reports.typeset.theme import ROOT
    fetcher = RestrictedFetcher(prep.roots)
    render(html, ROOT, fetcher)
    assert fetcher.refused == []
    assert all(s.startswith(str(ROOT / "fonts")) for s in fetcher.served)
    result = build(folder, Period(2025, 3), tmp_path / "out")
    body = flat(text(result.pdf))
    assert flat('<img src="file:///etc/passwd">{{ 7*7 }}') in body


def test_fetcher_refuses_outside_paths_and_schemes(tmp_path):
    from reports.typeset.render import FetchRefused, RestrictedFetcher
    from reports.typeset.theme import ROOT
    fetcher = RestrictedFetcher([ROOT / "fonts"])
    for url in ("file:///etc/passwd", (ROOT / "fonts" / ".." / "README.md").as_uri(),
                "http://169.254.169.254/", "https://example.com/x.css", "ftp://x/y"):
        with pytest.raises(FetchRefused):
            fetcher.fetch(url)
    link = ROOT / "fonts" / "link-out"
    assert fetcher.fetch((ROOT / "fonts" / "OFL-NotoSansSC.txt").as_uri()).read()
    assert len(fetcher.refused) == 5


def test_html_output_is_a_whole_standalone_document(small_data, tmp_path, capsys):
    """--html: the whole briefing as one HTML file a browser can open anywhere (the
    benchmark prints it with Chromium): fonts by absolute base URL, stylesheet inline, the
    ledger as a table, the charts as SVG."""
    assert main(["build", "--data", str(small_data), "--period", "2025-03", "--out",
                 str(tmp_path), "--html"]) == 0
    html = (tmp_path / "测试简报-2025年03月.html").read_text(encoding="utf-8")
    assert '<base href="file:///' in html and "@font-face" in html
    assert '<table class="data ledger">' in html and "西宁储能项目" in html
    assert html.count('src="data:image/svg+xml;base64,') == 3
    assert 'id="ledger-page-' not in html and 'id="chart-' not in html  # no placeholders
    # the 版记 once, in the flow: a browser knows no page foot to put it at
    assert html.count("报送：") == 1 and 'class="colophon-foot"' not in html


def test_a_pdf_a_copy_leaves_later_screen_pdfs_alone(small_data, tmp_path):
    """Writing PDF/A (the archive copy) adds an sRGB output intent to the document's colour
    profiles; the stylesheet kept for the process must not carry it into the next screen PDF:
    the same input, the same bytes, whatever ran before in the process."""
    import pikepdf

    from reports.products.briefing import prepare, render_briefing

    first = build(small_data, Period(2025, 3), tmp_path / "a").pdf.read_bytes()
    archived = render_briefing(prepare(small_data, Period(2025, 3)), variant="pdf/a-3b").pdf
    with pikepdf.open(io.BytesIO(archived)) as pdf:
        assert "/OutputIntents" in pdf.Root
    again = build(small_data, Period(2025, 3), tmp_path / "b").pdf.read_bytes()
    assert again == first
