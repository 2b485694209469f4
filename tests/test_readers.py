"""The PDFs read the same in three independent PDF engines — poppler (pdftotext), PDFium
(pypdfium2) and MuPDF (PyMuPDF) — and pass `qpdf --check` (issue 7)."""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from pdfcheck import flat

from reports.figures.fmt import Formatter

IDEOGRAPHS = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def poppler(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout


def pdfium(pdf: Path) -> str:
    import pypdfium2

    doc = pypdfium2.PdfDocument(str(pdf))
    try:
        return "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    finally:
        doc.close()


def mupdf(pdf: Path) -> str:
    import pymupdf

    with pymupdf.open(str(pdf)) as doc:
        return "\n".join(page.get_text() for page in doc)


ENGINES = {"poppler": poppler, "pdfium": pdfium, "mupdf": mupdf}


def test_three_engines_extract_the_same_chinese_text(sample):
    texts = {name: read(sample.pdf) for name, read in ENGINES.items()}
    characters = {name: Counter(IDEOGRAPHS.findall(t)) for name, t in texts.items()}
    assert sum(characters["poppler"].values()) > 3000
    # reading order differs between engines; every character is there in each, as often
    assert characters["poppler"] == characters["pdfium"] == characters["mupdf"]
    assert all("\ufffd" not in t for t in texts.values())


def test_three_engines_agree_on_the_headline_figures(sample):
    f, fmt = sample.figures, Formatter()
    phrases = [
        f"签约金额{fmt.amount(f.signed.value)}，同比{fmt.growth(f.signed.growth)}",
        f"到位资金{fmt.amount(f.funds.value)}，同比{fmt.growth(f.funds.growth)}",
        f"的{fmt.percent(f.signed.completion)}",
        f"新签约招商引资项目{f.signed_projects.value}个",
        "签约金额2307.75亿元，同比增长4.7%",
    ]
    for name, read in ENGINES.items():
        body = flat(read(sample.pdf))
        for phrase in phrases:
            assert phrase in body, (name, phrase)


@pytest.mark.parametrize("kind", ["briefing", "handout"])
def test_qpdf_check_passes(sample, kind, tmp_path):
    if kind == "briefing":
        pdf = sample.pdf
    else:
        from conftest import SAMPLE

        from reports.data.handout import load_delegation
        from reports.products.handout import Builder

        b = Builder(SAMPLE)
        d = load_delegation(SAMPLE / "delegations" / "德国商会代表团.yaml", b.config)
        pdf = b.build(d, tmp_path).files[0]
    run = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "No syntax or stream encoding errors found" in run.stdout
