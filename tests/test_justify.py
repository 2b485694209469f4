"""Chinese justification (reports/typeset/justify.py), measured on character positions
(pdfplumber): non-final lines of a paragraph end flush with the type area, the space goes
between characters but never inside a figure, the text is unchanged; English, the last line
and the ReportLab 附表 are left alone; an untested WeasyPrint stops the build."""

from __future__ import annotations

import io
from collections import defaultdict

import pdfplumber
import pytest
from conftest import SAMPLE

from reports import ROOT
from reports.typeset import justify
from reports.typeset.theme import THEME

MM = 72 / 25.4
SIZE = 14  # body size (pt)


def render(body: str, css: str = "", lang: str = "zh-CN") -> bytes:
    from reports.typeset.render import RestrictedFetcher, render as lay_out, to_pdf

    html = f"""<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><style>
@font-face {{ font-family: S; src: url("fonts/{THEME.serif_regular}"); }}
@page {{ size: 120mm 200mm; margin: 10mm; }}
body {{ font-family: S; font-size: {SIZE}pt; line-height: 1.75; margin: 0; }}
p {{ margin: 0 0 4mm; text-align: justify; }} {css}
</style></head><body>{body}</body></html>"""
    return to_pdf(lay_out(html, ROOT, RestrictedFetcher([ROOT / "fonts"])))


def lines_of(pdf: bytes, page: int = 0):
    """Characters grouped by line (top), each line sorted left to right (by the middle of each
    character's em box: an opening mark squeezed after a Latin letter starts left of it)."""
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        rows = defaultdict(list)
        for c in doc.pages[page].chars:
            rows[round(c["top"])].append(c)
        width = doc.pages[page].width
    return [sorted(r, key=lambda c: c["x0"] + c["x1"]) for _, r in sorted(rows.items())], width


TEXT = ("青海省招商引资工作取得新进展，全年签约项目数量和金额均创历史新高，其中新能源、新材料、"
        "盐湖资源综合利用等重点产业引进项目占比超过六成，招商引资对全省经济增长的拉动作用持续增强。")


def test_non_final_lines_end_flush_and_the_text_is_unchanged():
    pdf = render(f"<p>{TEXT}</p>")
    lines, width = lines_of(pdf)
    right = width - 10 * MM
    assert len(lines) >= 3
    for line in lines[:-1]:
        # within 0.3 pt (0.1 mm): WeasyPrint writes each glyph offset truncated to 1/1000 em
        assert line[-1]["x1"] == pytest.approx(right, abs=0.3), "".join(c["text"] for c in line)
        gaps = [b["x0"] - a["x1"] for a, b in zip(line, line[1:])]
        assert max(gaps) - min(gaps) < 0.05  # the space spread evenly
        assert max(gaps) < SIZE / 4  # never more than a quarter em between characters
    assert lines[-1][-1]["x1"] < right - SIZE  # the last line stays short, flush left
    assert "".join(c["text"] for line in lines for c in line) == TEXT  # nothing inserted


def test_ragged_without_the_extension_for_comparison():
    """The same paragraph left-aligned ends short: what WeasyPrint alone gives Chinese."""
    lines, width = lines_of(render(f"<p>{TEXT}</p>", "p { text-align: left; }"))
    short = [width - 10 * MM - line[-1]["x1"] for line in lines[:-1]]
    assert max(short) > 1


def test_never_inside_a_figure_kept_on_one_line():
    body = ("<p>全省签约金额<span style='white-space: nowrap'>2307.75亿元</span>，同比增长，"
            "到位资金<span style='white-space: nowrap'>875.09亿元</span>，完成年度目标任务，"
            "其中省外到位资金<span style='white-space: nowrap'>649.13亿元</span>，占比较高。</p>")
    lines, _ = lines_of(render(body))
    for line in lines[:-1]:
        text = "".join(c["text"] for c in line)
        for figure in ("2307.75亿元", "875.09亿元", "649.13亿元"):
            start = text.find(figure)
            if start < 0:
                continue
            chars = line[start:start + len(figure)]
            gaps = [b["x0"] - a["x1"] for a, b in zip(chars, chars[1:])]
            assert max(gaps) < 0.01, (figure, gaps)  # set solid, as the font spaces it
        others = [b["x0"] - a["x1"] for a, b in zip(line, line[1:])]
        assert max(others) > 0.05  # while the line itself was spread


def test_numbers_and_latin_words_in_running_text_stay_solid():
    """A number or Latin word written straight in the text (第25届, 10月, WeasyPrint) is not
    letter-spaced; the gaps at its edges take half a share, CJK–CJK gaps a whole one."""
    body = ("<p>第25届青洽会共签约项目，签约金额创历届之最，其中10月当月签约的新能源和新材料项目"
            "占比较高，WeasyPrint排版的简报已按月印发，各市州人民政府和省直有关部门均已收到。</p>")
    lines, width = lines_of(render(body))
    right = width - 10 * MM
    for line in lines[:-1]:
        assert line[-1]["x1"] == pytest.approx(right, abs=0.3)
        text = "".join(c["text"] for c in line)
        gaps = [b["x0"] - a["x1"] for a, b in zip(line, line[1:])]
        whole = [g for (a, b), g in zip(zip(text, text[1:]), gaps)
                 if justify.is_cjk(a) and justify.is_cjk(b)]
        for word in ("25", "10", "WeasyPrint"):
            i = text.find(word)
            if i >= 0:
                assert max(gaps[i:i + len(word) - 1]) < 0.01, word
                assert gaps[i - 1] == pytest.approx(whole[0] / 2, abs=0.02)  # half at its edge
        assert max(whole) - min(whole) < 0.02


def test_adjacent_punctuation_takes_one_and_a_half_em():
    """标点挤压 by the bundled serif's chws feature (scripts/add_features.py), as the briefing's
    stylesheet asks for it: the first of a closing pair, or a closing mark before an opening
    one, gives up its blank half; the second of two opening marks its blank left half."""
    text = "项目（二期），（三期）“计划”。”完（“甲”）"
    css = "p { text-align: left; font-feature-settings: 'chws'; }"
    (line, *_), _ = lines_of(render(f"<p>{text}</p>", css))
    assert "".join(c["text"] for c in line) == text  # the characters unchanged
    advance = [b["x0"] - a["x0"] for a, b in zip(line, line[1:])]
    for pair in ("），", "，（", "）“", "”。", "。”"):
        assert advance[text.index(pair)] == pytest.approx(SIZE / 2, abs=0.05), pair
    for single in ("项目", "（二", "期）", "计划"):
        assert advance[text.index(single)] == pytest.approx(SIZE, abs=0.05), single
    i = text.index("（“")  # opening + opening: the second moves into the first's blank
    assert advance[i] == pytest.approx(SIZE / 2, abs=0.2)  # a placement: written to 1/1000 em
    # without the feature, every mark a full em
    (plain, *_), _ = lines_of(render(f"<p>{text}</p>", "p { text-align: left; }"))
    assert all(b["x0"] - a["x0"] == pytest.approx(SIZE, abs=0.05)
               for a, b in zip(plain, plain[1:]))


def test_the_stylesheets_ask_for_it():
    for name in ("components.css", "handout.css"):
        assert 'font-feature-settings: "chws"' in (ROOT / "templates" / "css" / name).read_text()


def test_english_is_not_touched():
    """An English paragraph keeps WeasyPrint's own justification: only its spaces stretch,
    never a gap inside a word."""
    text = "Investment in Qinghai grew again this year, with new energy, new materials and " \
           "salt-lake resources taking the lead among the industries that signed projects."
    lines, width = lines_of(render(f"<p>{text}</p>", lang="en"))
    for line in lines[:-1]:
        words = [c for c in line if c["text"] != " "]
        inside = [b["x0"] - a["x1"] for a, b in zip(words, words[1:])
                  if a["text"].isalpha() and b["text"].isalpha()
                  and b["x0"] - a["x1"] < 1]
        assert max(inside) < 0.01  # letters set solid: the room went to the spaces


def test_the_sample_body_is_justified_and_the_ledger_is_not(sample):
    """Every body line of the sample that is not its paragraph's last ends flush; the 附表's
    cells (ReportLab) keep their left and right alignment."""
    with pdfplumber.open(sample.pdf) as doc:
        checked = 0
        for n, page in enumerate(doc.pages, 1):
            odd = n % 2
            left = (THEME.margin_left if odd else THEME.margin_right) * MM
            right = (THEME.page_width - (THEME.margin_right if odd else THEME.margin_left)) * MM
            body = [c for c in page.chars if "Noto-Serif-SC" in c["fontname"]
                    and round(c["size"]) == THEME.body_size]
            rows = defaultdict(list)
            for c in body:
                rows[round(c["top"])].append(c)
            tops = sorted(rows)
            for a, b in zip(tops, tops[1:]):
                line, following = sorted(rows[a], key=lambda c: c["x0"]), rows[b]
                # b continues a's paragraph (it starts at the margin, no indent): a is not the
                # paragraph's last line, so it ends flush
                if b - a < 30 and abs(min(c["x0"] for c in following) - left) < 1:
                    assert line[-1]["x1"] == pytest.approx(right, abs=0.3), (n, line[-1]["text"])
                    checked += 1
        assert checked >= 15  # 17 in the sample
        ledger = next(p for p in doc.pages if "签约日期" in (p.extract_text() or ""))
        cells = [c for c in ledger.chars if "NotoSansSC-Regular" in c["fontname"]]
        rows = defaultdict(list)
        for c in cells:
            rows[round(c["top"])].append(c)
        row = sorted(next(iter(rows.values())), key=lambda c: c["x0"])
        gaps = [b["x0"] - a["x1"] for a, b in zip(row, row[1:])
                if "\u4e00" <= a["text"] <= "\u9fff" and "\u4e00" <= b["text"] <= "\u9fff"
                and b["x0"] - a["x1"] < 2]
        assert gaps and max(gaps) < 0.01  # ReportLab's cells: set solid, as they always were


def test_an_untested_weasyprint_stops(monkeypatch):
    import weasyprint

    monkeypatch.setattr(justify, "_installed", False)
    monkeypatch.setattr(weasyprint, "__version__", "71.0")
    with pytest.raises(justify.UntestedWeasyPrint, match="WeasyPrint 71.0 未经测试"):
        justify.install()


def test_viewers_copy_a_justified_line_as_written(sample):
    """poppler (pdftotext, Evince) and PDFium (Chrome's viewer) guess word breaks from gaps; each
    body line carries its characters as /ActualText (pdf/actualtext.py), so neither puts a space
    into a spread line — while table cells still come out as cells."""
    import subprocess

    import pypdfium2 as pdfium

    line = "从投资方来源地看，浙江省企业签约项目18个、签约金额"
    poppler = subprocess.run(["pdftotext", "-enc", "UTF-8", str(sample.pdf), "-"], check=True,
                             capture_output=True, text=True).stdout
    assert line in poppler and "10月当月到位资金97.72亿元，上年同月为91.09亿元，同比" in poppler
    doc = pdfium.PdfDocument(str(sample.pdf))
    try:
        pdfium_text = "".join(doc[i].get_textpage().get_text_bounded() for i in range(len(doc)))
    finally:
        doc.close()
    assert line in pdfium_text
    assert "西宁\n\n26\n" in poppler  # a table row's cells still come out apart
