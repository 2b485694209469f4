"""Page references (typeset/pagerefs.py): the contents' page numbers right, their page laid
out twice (the first pass, then the numbers), not three times; a lookup of ``pages`` still
updated."""

from __future__ import annotations

import io
from collections import Counter

import pdfplumber
import pytest

from reports import ROOT
from reports.typeset.theme import THEME


def build(body: str, css: str = "") -> tuple[list[str], Counter]:
    from weasyprint.layout import page as wp_page

    from reports.typeset.render import RestrictedFetcher, render, to_pdf

    made = Counter()
    patched = wp_page.make_page

    def counting(context, root_box, page_type, resume_at, page_number, page_state):
        made[page_number] += 1
        return patched(context, root_box, page_type, resume_at, page_number, page_state)

    html = f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><style>
@font-face {{ font-family: S; src: url("fonts/{THEME.serif_regular}"); }}
@page {{ size: 120mm 160mm; margin: 10mm; }}
body {{ font-family: S; font-size: 12pt; margin: 0; }}
h2 {{ break-before: page; font-size: 14pt; }} {css}
</style></head><body>{body}</body></html>"""
    wp_page.make_page = counting
    try:
        pdf = to_pdf(render(html, ROOT, RestrictedFetcher([ROOT / "fonts"])))
    finally:
        wp_page.make_page = patched
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [p.extract_text() for p in doc.pages], made


SECTIONS = ["总体情况", "分市州情况", "分产业情况", "重点项目"]


def document(number: str, extra: str = "") -> str:
    toc = "".join(f'<p><a href="#s{i}">{t}</a></p>' for i, t in enumerate(SECTIONS))
    body = "".join(f'<h2 id="s{i}">{t}</h2><p>{"正文" * 20 * (i + 1)}</p>{extra}'
                   for i, t in enumerate(SECTIONS))
    return f'<h1 id="top">目录</h1>{toc}{body}', f"a::after {{ content: ' ' {number}; }}"


TOTALS = "a::before { content: counter(pages) '/'; } .total::after { content: '共' counter(pages) '页'; }"


@pytest.fixture(autouse=True)
def _installed():
    import reports.typeset.render  # noqa: F401 (installs the patches)


def test_the_contents_page_is_laid_out_twice_with_the_right_numbers():
    body, css = document("target-counter(attr(href), page)")
    pages, made = build(body, css)
    assert len(pages) == 5
    for i, title in enumerate(SECTIONS):
        assert f"{title} {i + 2}" in pages[0]
    # WeasyPrint alone lays the contents out three times: the total, 0 in the first pass,
    # changed all its page counters in the second
    assert made[1] == 2
    assert all(n == 1 for page, n in made.items() if page > 1)


def test_a_lookup_of_the_total_is_still_updated():
    # (in WeasyPrint 70 itself, "pages" beside a target-counter(attr(…)) fails: AttributeError)
    body, css = document("target-counter(attr(href), page)", '<p class="total"></p>')
    pages, _ = build(body, css + TOTALS)
    for i, title in enumerate(SECTIONS):
        assert f"5/{title} {i + 2}" in pages[0]
    assert all("共5页" in text for text in pages[1:])


def test_the_same_pages_as_weasyprint_alone():
    """With the numbers taking more room than the first pass gave them (a contents that
    grows onto a second page and moves every section) and in the cases above: the text of
    every page as WeasyPrint alone makes it."""
    from weasyprint.layout import page as wp_page

    from reports.typeset import pagerefs

    toc = "".join(f'<p class="t"><a href="#t{i}">甲乙丙</a></p>' for i in range(30))
    body = "".join(f'<h3 id="t{i}">节{i}</h3>' for i in range(30))
    grows = (f"{toc}<h2>正文</h2>{body}", "p.t { margin: 0; font-size: 6pt; width: 3.8em; }"
             "a::after { content: target-counter(attr(href), page); }"
             "h3 { break-before: page; margin: 0; }")
    cases = [grows, document("target-counter(attr(href), page)"),
             document("target-counter(attr(href), page)", '<p class="total"></p>')]
    for body, css in cases:
        if body == cases[-1][0]:
            css += TOTALS
        ours, made = build(body, css)
        patched = wp_page.make_page
        wp_page.make_page = pagerefs.weasyprint_make_page
        try:
            theirs, their_made = build(body, css)
        finally:
            wp_page.make_page = patched
        assert ours == theirs
        fewer = sum(made.values()) < sum(their_made.values())
        assert fewer or "counter(pages)" in css  # (then every page wants the total anyway)
