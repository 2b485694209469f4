"""Templates: golden HTML, overrides from a user folder, the sandbox, charts."""

from __future__ import annotations

import re
from decimal import Decimal as D

import pytest
from golden_html import GOLDEN, golden_html
from pdfcheck import flat, text

from reports.figures.compute import Period
from reports.figures.fmt import Formatter
from reports.products.briefing import TemplateProblem, build, prepare
from reports.typeset.charts import industries_chart, regions_chart, trend_chart, with_svg


def test_golden_html(tmp_path):
    expected = GOLDEN.read_text(encoding="utf-8")
    assert golden_html(tmp_path) == expected, "golden HTML changed: review, then `make golden`"


def test_golden_html_content():
    html = GOLDEN.read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in html
    assert '<span class="fig">4.48亿元</span>' in html  # figures kept on one line
    assert "一、总体情况" in html and "附表" in html and "报送：" in html


def test_override_one_stylesheet_and_one_template(small_data, tmp_path):
    user = tmp_path / "tpl"
    (user / "css").mkdir(parents=True)
    (user / "briefing" / "sections").mkdir(parents=True)
    (user / "css" / "components.css").write_text(
        '{% include "!css/components.css" %}\n.masthead h1 { color: #000080; }\n', encoding="utf-8")
    (user / "briefing" / "sections" / "colophon.html").write_text(
        '<footer class="colophon"><p>海西州投资促进局编印</p></footer>\n', encoding="utf-8")
    prep = prepare(small_data, Period(2025, 3), template_dir=user)
    html = prep.html(toc=False)
    css = prep.css()
    assert ".masthead h1 { color: #000080; }" in css
    assert "font-family" in css  # the built-in stylesheet is still included
    assert "海西州投资促进局编印" in html and "报送：" not in html
    result = build(small_data, Period(2025, 3), tmp_path / "out", template_dir=user)
    assert "海西州投资促进局编印" in flat(text(result.pdf))


def _user_colophon(tmp_path, text: str):
    """A user template folder that overrides only the 报尾 section."""
    user = tmp_path / "user-templates"
    (user / "briefing" / "sections").mkdir(parents=True)
    (user / "briefing" / "sections" / "colophon.html").write_text(text, encoding="utf-8")
    return user


def test_user_template_is_sandboxed(small_data, tmp_path):
    user = _user_colophon(tmp_path, "{{ ''.__class__.__mro__[1].__subclasses__() }}")
    prep = prepare(small_data, Period(2025, 3), template_dir=user)
    with pytest.raises(TemplateProblem, match="不允许"):
        prep.html(toc=False)


def test_template_syntax_error_is_clean(small_data, tmp_path):
    user = _user_colophon(tmp_path, "{% if %}")
    prep = prepare(small_data, Period(2025, 3), template_dir=user)
    with pytest.raises(TemplateProblem, match="colophon.html 第1行有误"):
        prep.html(toc=False)


def test_user_template_cannot_read_files(small_data, tmp_path):
    user = _user_colophon(
        tmp_path, '<img src="file:///etc/passwd"><link rel="attachment" href="/etc/hostname">')
    from reports.typeset.render import RestrictedFetcher, render
    from reports.typeset.theme import ROOT
    prep = prepare(small_data, Period(2025, 3), template_dir=user)
    fetcher = RestrictedFetcher(prep.roots)
    pdf = render(prep.html(toc=False), ROOT, fetcher).write_pdf()  # attachments load here
    assert "file:///etc/passwd" in fetcher.refused
    assert any(u.endswith("/etc/hostname") for u in fetcher.refused)
    assert b"/EmbeddedFiles" not in pdf


fmt = Formatter()
NAMES = ["西宁", "海东", "海西州"]


@pytest.mark.parametrize("chart", [
    regions_chart(NAMES, [D("33878000000"), D("22551000000"), D("0")],
                  [D("13046000000"), D("6970000000"), D("5000000")], fmt),
    industries_chart(["新能源", "盐湖资源综合利用"], [D("0.452"), D("0.081")], fmt),
    trend_chart([D("5e9"), D("7e9")] + [None] * 10, [D("4e9")] * 12, 2026, fmt),
])
def test_charts_name_only_bundled_font(chart):
    chart = with_svg(chart)
    families = set(re.findall(r"font-family:\s*([^;\"]+)", chart.svg))
    assert families == {"'Noto Sans SC'"}
    assert "fill: None" not in chart.svg
    assert "<image" not in chart.svg and "base64" not in chart.svg  # vector, never PNG
    for label in chart.labels:
        assert label in chart.svg


def test_chart_labels_are_formatted_from_decimals():
    c = regions_chart(NAMES, [D("33878000000"), D("950000000"), D("0")], [D("0")] * 3, fmt)
    assert "339" in c.labels and "9.5" in c.labels  # 338.78亿 → 339; 9.5亿 keeps one decimal
    c = industries_chart(["新能源"], [D("0.4525")], fmt)
    assert "45.3%" in c.labels  # half-up


def test_font_coverage_file_matches_fonts():
    import json

    from reports.typeset.glyphs import COVERAGE, compute_coverage
    assert json.loads(COVERAGE.read_text(encoding="utf-8")) == compute_coverage(), \
        "fonts changed: run `make fonts-coverage`"


def test_css_names_only_bundled_fonts():
    import re as _re

    from reports.typeset.theme import FONTS_DIR, THEME
    css = (GOLDEN.read_text(encoding="utf-8"))
    families = set(_re.findall(r'font-family:\s*([^;]+);', css))
    allowed = {f'"{THEME.serif}"', f'"{THEME.sans}"', f'"{THEME.kai}"'}
    for stack in families:
        assert {f.strip() for f in stack.split(",")} <= allowed, stack
    for url in _re.findall(r'url\("fonts/([^"]+)"\)', css):
        assert (FONTS_DIR / url).is_file(), url
