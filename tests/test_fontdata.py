"""WeasyPrint writes our PDFs without copying any whole font (typeset/fontdata.py), and what it
writes is unchanged: every face embedded as a subset, the text as it was."""

from __future__ import annotations

from pathlib import Path

from pdfcheck import fonts, text

from reports.typeset import fontdata
from reports.typeset.render import RestrictedFetcher, render, to_pdf

ROOT = Path(__file__).resolve().parent.parent
HTML = """<html lang="zh-CN"><head><style>
@font-face { font-family: "Noto Serif SC"; src: url(fonts/NotoSerifSC-Regular.ttf); }
@font-face { font-family: "Noto Sans SC"; src: url(fonts/NotoSansSC-Regular.ttf); }
p { font-family: "Noto Serif SC"; font-size: 16pt }
h1 { font-family: "Noto Sans SC"; font-size: 22pt; font-weight: normal }
</style></head><body><h1>招商引资工作简报</h1><p>签约金额7874亿元，同比增长55%。</p>
<p style="font-size: 12pt">完成年度目标任务的113.6%。</p></body></html>"""


def test_no_whole_font_copied_and_fonts_still_subset(tmp_path):
    from weasyprint.pdf.fonts import Font

    assert isinstance(Font.__dict__["file_content"], property)  # installed with render
    fetcher = RestrictedFetcher([ROOT / "fonts"])
    before = fontdata.copies
    pdf = to_pdf(render(HTML, ROOT, fetcher), tags=True)
    assert fontdata.copies == before  # WeasyPrint read no whole face (the 21 MB serif...)
    path = tmp_path / "t.pdf"
    path.write_bytes(pdf)
    embedded = {f["name"].split("+")[-1]: f for f in fonts(path)}
    assert {"Noto-Serif-SC", "Noto-Sans-SC"} <= embedded.keys()
    assert all(f["emb"] == "yes" and f["sub"] == "yes" for f in embedded.values())
    assert len(pdf) < 60_000  # subsets, not the 10 and 21 MB files
    assert "签约金额7874亿元，同比增长55%。" in text(path).replace("\n", "")


def test_fonttools_subsetter_imported_only_when_used(tmp_path):
    """fontTools' subsetter is a stand-in until used (typeset/deferred.py); without HarfBuzz's
    subsetter WeasyPrint falls back on it, and then it is imported and works."""
    code = f"""
import sys
from pathlib import Path
from reports.typeset import render
assert type(sys.modules["fontTools.subset"]).__name__ == "_Stand"
assert "fontTools.varLib" not in sys.modules and "lxml.etree" not in sys.modules
from weasyprint.pdf import fonts
fonts.harfbuzz_subset = None  # as on a machine without libharfbuzz-subset0
ROOT = Path({str(ROOT)!r})
fetcher = render.RestrictedFetcher([ROOT / "fonts"])
pdf = render.to_pdf(render.render({HTML!r}, ROOT, fetcher))
assert type(sys.modules["fontTools.subset"]).__name__ == "module"
Path({str(tmp_path / "f.pdf")!r}).write_bytes(pdf)
"""
    import subprocess
    import sys

    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
    pdf = tmp_path / "f.pdf"
    assert all(f["emb"] == "yes" and f["sub"] == "yes" for f in fonts(pdf))
    assert "签约金额7874亿元，同比增长55%。" in text(pdf).replace("\n", "")
