"""The formats offices pass around (issue 20): the tagged PDF's structure tree, the Word
document opened with python-docx (and LibreOffice, when installed), the OFD package unzipped,
checked against its PDF, and read back by an OFD reader of its own (easyofd)."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pikepdf
import pytest
from docx import Document
from docx.oxml.ns import qn
from lxml import etree

from conftest import ROOT, SAMPLE
from pdfcheck import flat, text
from structtree import read as read_structure

from reports.errors import ReportError
from reports.figures.compute import Period
from reports.products.briefing import build
from reports.products.office import parse_formats

OFD_NS = {"ofd": "http://www.ofdspec.org/2016"}
HEADINGS = ["一、总体情况", "二、分市州情况", "三、分产业情况", "四、月度走势", "五、重点项目",
            "六、重点企业与投资来源"]


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    out = tmp_path_factory.mktemp("office")
    result = build(SAMPLE, Period(2026, 10), out, formats="pdf,docx,ofd")
    return result


@pytest.fixture(scope="module")
def pdf_text(office) -> str:
    return flat(text(office.pdf))


def _headline(pdf_text: str) -> list[str]:
    """The headline figures as the PDF prints them: 签约金额…亿元, 到位资金…亿元, the completion."""
    found = [re.search(r"签约金额(\d+(?:\.\d+)?亿元)", pdf_text).group(1),
             re.search(r"到位资金(\d+(?:\.\d+)?亿元)", pdf_text).group(1),
             re.search(r"完成年度目标任务\d+亿元的(\d+(?:\.\d+)?%)", pdf_text).group(1)]
    return found


# ── the tagged PDF ─────────────────────────────────────────────────────────────────────────

def test_the_screen_pdf_is_tagged_in_chinese(office):
    with pikepdf.open(office.pdf) as pdf:
        assert str(pdf.Root.Lang) == "zh-CN"
        assert bool(pdf.Root.MarkInfo.Marked)
        assert "/StructTreeRoot" in pdf.Root


def test_structure_tree_has_the_headings_in_order_and_the_tables(office):
    doc, pdf = read_structure(office.pdf)
    h2 = [e.all_text() for e in doc.find("H2")]
    chapters = [h for h in h2 if h in HEADINGS]
    assert chapters == HEADINGS
    assert any(h.startswith("附表") for h in h2)
    assert [e.all_text() for e in doc.find("H1")] == ["青海省招商引资工作简报"]
    tables = doc.find("Table")
    assert len(tables) >= 8
    regions = next(t for t in tables if "西宁" in t.all_text())
    assert regions.find("TH") and regions.find("TD")
    assert any("338.78" == td.all_text() for td in regions.find("TD"))
    assert len(doc.find("P")) >= 10
    pdf.close()


def test_charts_are_figures_with_their_caption_and_numbers_as_alt_text(office, pdf_text):
    doc, pdf = read_structure(office.pdf)
    figures = doc.find("Figure")
    assert [f.alt.split("　")[0] for f in figures] == ["图1", "图2", "图3"]
    regions = figures[0].alt
    assert "分市州签约金额和到位资金" in regions and "西宁签约338.78亿元" in regions
    assert "新能源占" in figures[1].alt and "%" in figures[1].alt
    assert "1月2026年" in figures[2].alt
    # the drawing itself is inside the Figure's marked content
    contents = b"".join(
        c.read_bytes() for p in pdf.pages
        for c in (p.obj.Contents if isinstance(p.obj.Contents, pikepdf.Array)
                  else [p.obj.Contents]))
    assert len(re.findall(rb"/Figure <</MCID \d+>> BDC\nq 1 0 0 1 [\d.]+ [\d.]+ cm /Stamp\d+ Do",
                          contents)) == 3
    pdf.close()


def test_the_reportlab_ledger_is_a_tagged_table_with_every_project(office, pdf_text):
    doc, pdf = read_structure(office.pdf)
    ledgers = [t for t in doc.find("Table") if t.find("TR") and
               [c.all_text() for c in t.find("TR")[0].kids][:2] == ["序号", "项目名称"]
               and len(t.find("TR")[0].kids) == 8]
    assert len(ledgers) == 4  # one per ledger page, each with its header row
    rows = [[c.all_text() for c in tr.kids] for t in ledgers for tr in t.find("TR")]
    body = [r for r in rows if r[0] != "序号"]
    numbers = [int(r[0]) for r in body if r[0]]
    assert numbers == list(range(1, int(office.figures.signed_projects.value) + 1))
    assert body[-1][1].startswith("合计") and body[-1][6] == "2307.75"
    assert all(th.attrs.get("/Scope") == "/Column" for t in ledgers for th in t.find("TH"))
    names = [r[1] for r in body[:-1]]
    assert all(flat(name) in pdf_text for name in names[:20])
    pdf.close()


def test_tagging_leaves_the_text_as_it_was(office, pdf_text):
    """Justified lines still copy as written: no space between characters (actualtext.py)."""
    assert "同比增长4.7%，完成年度目标任务2520亿元的91.6%" in text(office.pdf).replace("\n", "")


def test_the_print_variant_stays_untagged(tmp_path):
    result = build(SAMPLE, Period(2026, 10), tmp_path, print_variant=True)
    with pikepdf.open(result.pdf) as pdf:
        assert "/StructTreeRoot" not in pdf.Root
        assert "/GTS_PDFX" in str(pdf.Root.OutputIntents[0].S)


# ── Word ───────────────────────────────────────────────────────────────────────────────────

@pytest.fixture(scope="module")
def word(office):
    return Document(str(office.extras[[p.suffix for p in office.extras].index(".docx")]))


def test_word_has_the_headings_as_heading_styles_in_order(word):
    headings = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    assert headings[:6] == HEADINGS
    assert headings[6].startswith("附表")
    subs = [p.text for p in word.paragraphs if p.style.name == "Heading 2"]
    assert subs == ["（一）三类500强企业", "（二）投资方来源地", "（三）重大招商活动"]
    title = next(p for p in word.paragraphs if p.style.name == "Title")
    assert title.text == "青海省招商引资工作简报"
    assert str(title.style.font.color.rgb) == "D7261E"  # the 报头 in red


def test_word_carries_the_same_sentences_and_headline_figures(word, pdf_text):
    body = [p.text for p in word.paragraphs if p.style.name == "Body Text" and p.text]
    assert len(body) >= 10
    for sentence in body:
        assert flat(sentence) in pdf_text, sentence
    words = flat("".join(p.text for p in word.paragraphs))
    for figure in _headline(pdf_text):
        assert figure in words
    style = word.styles["Body Text"]
    indent = style.element.pPr.find(qn("w:ind"))
    assert indent.get(qn("w:firstLineChars")) == "200"  # two characters
    assert style.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋"


def test_word_tables_right_align_numbers_bold_totals_repeat_headers(word, pdf_text):
    ledger = next(t for t in word.tables if t.rows[0].cells[0].text == "序号"
                  and len(t.columns) == 8)
    assert ledger.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert len(ledger.rows) == 1 + 122 + 1
    amount = ledger.rows[1].cells[6].paragraphs[0]
    assert amount.alignment == 2  # right
    total = ledger.rows[-1]
    assert total.cells[1].text.startswith("合计")
    assert all(r.bold for r in total.cells[6].paragraphs[0].runs)
    assert total.cells[6].text == "2307.75"
    regions = next(t for t in word.tables if len(t.rows) > 2 and t.rows[2].cells[0].text == "西宁")
    assert regions.rows[2].cells[2].text == "338.78"


def test_word_charts_are_pictures_at_print_resolution(word):
    from PIL import Image

    pictures = [rel.target_part.blob for rel in word.part.rels.values()
                if "image" in rel.reltype]
    assert len(pictures) == 3
    for blob in pictures:
        image = Image.open(io.BytesIO(blob))
        assert round(image.info["dpi"][0]) == 300
        assert image.width >= 440 / 72 * 300 - 2
    captions = [p.text for p in word.paragraphs if p.style.name == "Caption"]
    assert [c.split("　")[0] for c in captions] == ["图1", "图2", "图3"]


def test_word_page_a4_margins_footer_colophon_fonts(word):
    section = word.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28
    footer_xml = etree.tostring(section.footer._element, encoding="unicode")
    assert "PAGE" in footer_xml and "— " in section.footer.paragraphs[0].text
    assert section.even_page_footer.paragraphs[0].alignment == 0  # even pages: left
    colophon = [p.text for p in word.paragraphs if p.style.name == "Colophon"]
    assert colophon[0].startswith("报送：") and colophon[-1].startswith("（共印")
    part = word.part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable")
    table = part.blob.decode("utf-8")
    for office_face, bundled in (("仿宋", "Noto Serif SC"), ("黑体", "Noto Sans SC"),
                                 ("楷体", "LXGW WenKai")):
        assert re.search(f'w:name="{office_face}"><w:altName w:val="{bundled}"', table)


def test_word_is_reproducible(office, tmp_path):
    again = build(SAMPLE, Period(2026, 10), tmp_path, formats=["pdf", "docx"])
    docx = [p for p in office.extras if p.suffix == ".docx"][0]
    assert again.extras[0].read_bytes() == docx.read_bytes()


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_libreoffice_lays_the_word_document_out(office, tmp_path, pdf_text):
    """LibreOffice (another engine than Word) opens it: pages of A4 with the text, the bundled
    fonts standing in for 仿宋/黑体/楷体 (as the font table's alternates say), the red 报头."""
    docx = [p for p in office.extras if p.suffix == ".docx"][0]
    conf = tmp_path / "fonts.conf"
    aliases = "".join(f"<alias binding='same'><family>{a}</family><prefer><family>{b}</family>"
                      "</prefer></alias>" for a, b in (("仿宋", "Noto Serif SC"),
                                                      ("黑体", "Noto Sans SC"),
                                                      ("楷体", "LXGW WenKai")))
    conf.write_text(f"<?xml version='1.0'?><fontconfig><include ignore_missing='yes'>"
                    f"/etc/fonts/fonts.conf</include><dir>{ROOT / 'fonts'}</dir>"
                    f"<cachedir>{tmp_path / 'cache'}</cachedir>{aliases}</fontconfig>")
    env = dict(os.environ, FONTCONFIG_FILE=str(conf), HOME=str(tmp_path))
    subprocess.run(["soffice", "--headless", "--norestore", "--convert-to", "pdf", "--outdir",
                    str(tmp_path), str(docx)], check=True, capture_output=True, env=env,
                   timeout=300)
    laid_out = tmp_path / (docx.stem + ".pdf")
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(
        ["pdfinfo", str(laid_out)], capture_output=True, text=True).stdout).group(1))
    assert 10 <= pages <= 24
    words = flat(text(laid_out))
    for heading in HEADINGS:
        assert heading in words
    for figure in _headline(pdf_text):
        assert figure in words
    fonts = subprocess.run(["pdffonts", str(laid_out)], capture_output=True, text=True).stdout
    assert "NotoSerifSC" in fonts and "NotoSansSC" in fonts
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(laid_out),
                    str(tmp_path / "p")], check=True)
    from PIL import Image

    image = Image.open(next(tmp_path.glob("p-*.png"))).convert("RGB")
    top = image.crop((0, 0, image.width, image.height // 4))
    raw = top.tobytes()
    red = sum(1 for i in range(0, len(raw), 3)
              if raw[i] > 180 and raw[i + 1] < 90 and raw[i + 2] < 90)
    assert red > 200  # the title and the rule under the 报头


# ── OFD ────────────────────────────────────────────────────────────────────────────────────

@pytest.fixture(scope="module")
def ofd(office):
    path = [p for p in office.extras if p.suffix == ".ofd"][0]
    return zipfile.ZipFile(path)


def _xml(package, name):
    return etree.fromstring(package.read(name))


def test_ofd_package_structure(ofd, office):
    names = ofd.namelist()
    assert names[0] == "OFD.xml"
    entry = _xml(ofd, "OFD.xml")
    assert entry.get("DocType") == "OFD" and entry.get("Version") == "1.0"
    assert entry.findtext(".//ofd:DocRoot", namespaces=OFD_NS) == "Doc_0/Document.xml"
    assert entry.findtext(".//ofd:Title", namespaces=OFD_NS).startswith("青海省招商引资工作简报")
    assert entry.findtext(".//ofd:CreationDate", namespaces=OFD_NS) == "2026-10-31"
    document = _xml(ofd, "Doc_0/Document.xml")
    pages = document.findall(".//ofd:Pages/ofd:Page", OFD_NS)
    assert len(pages) == office.pages
    assert document.findtext(".//ofd:PhysicalBox", namespaces=OFD_NS) == "0 0 210 297"
    for page in pages:
        assert "Doc_0/" + page.get("BaseLoc") in names
    ids = [int(e.get("ID")) for n in names if n.endswith(".xml")
           for e in _xml(ofd, n).iter() if e.get("ID")]
    assert len(ids) == len(set(ids))  # unique across the package
    assert max(ids) <= int(document.findtext(".//ofd:MaxUnitID", namespaces=OFD_NS))
    outline = [e.get("Title") for e in document.iterfind(".//ofd:OutlineElem", OFD_NS)]
    assert outline[:2] == HEADINGS[:2]


def test_ofd_fonts_are_embedded_truetype(ofd):
    res = _xml(ofd, "Doc_0/PublicRes.xml")
    fonts = res.findall(".//ofd:Font", OFD_NS)
    assert len(fonts) >= 4
    for font in fonts:
        data = ofd.read("Doc_0/Res/" + font.findtext("ofd:FontFile", namespaces=OFD_NS))
        assert data[:4] in (b"\x00\x01\x00\x00", b"true")
    assert {"Noto-Serif-SC", "Noto-Sans-SC"} <= {f.get("FontName") for f in fonts}


def _page_texts(ofd) -> list[str]:
    document = _xml(ofd, "Doc_0/Document.xml")
    out = []
    for page in document.findall(".//ofd:Pages/ofd:Page", OFD_NS):
        content = _xml(ofd, "Doc_0/" + page.get("BaseLoc"))
        out.append("".join(t.text or "" for t in content.iterfind(".//ofd:TextCode", OFD_NS)))
    return out


def test_ofd_text_is_text_with_the_headings_and_figures(ofd, pdf_text):
    words = flat("".join(_page_texts(ofd)))
    for heading in HEADINGS:
        assert heading in words
    for figure in _headline(pdf_text):
        assert figure in words
    assert "合计（122个项目）" in words  # the ReportLab ledger, from its own fonts
    content = _xml(ofd, "Doc_0/Pages/Page_0/Content.xml")
    assert content.findall(".//ofd:PathObject", OFD_NS)  # vector graphics, no page images
    assert not any(n.startswith("Doc_0/Res/image") for n in ofd.namelist())


def test_ofd_glyphs_stand_where_the_pdf_puts_them(ofd, office):
    """Every character of page 1 at the origin (x, baseline) pdfplumber finds for it in the
    PDF, within 0.2 mm."""
    import pdfplumber

    mm = 25.4 / 72
    with pdfplumber.open(office.pdf) as pdf:
        page = pdf.pages[0]
        chars = [(c["text"], c["matrix"][4] * mm, (page.height - c["matrix"][5]) * mm)
                 for c in page.chars if c["text"].strip()]
    content = _xml(ofd, "Doc_0/Pages/Page_0/Content.xml")
    placed = []
    for obj in content.iterfind(".//ofd:TextObject", OFD_NS):
        bx, by = (float(v) for v in obj.get("Boundary").split()[:2])
        code = obj.find("ofd:TextCode", OFD_NS)
        x = bx + float(code.get("X"))
        deltas = [float(v) for v in (code.get("DeltaX") or "").split()]
        for i, ch in enumerate(code.text or ""):
            placed.append((ch, x, by + float(code.get("Y"))))
            if i < len(deltas):
                x += deltas[i]
    assert len(placed) >= len(chars) > 100
    index = {}
    for ch, x, baseline in placed:
        index.setdefault(ch, []).append((x, baseline))
    far = [(ch, x, y) for ch, x, y in chars
           if not any(abs(x - px) < 0.2 and abs(y - py) < 0.2 for px, py in index.get(ch, []))]
    assert not far, far[:10]


def test_ofd_is_read_back_by_an_ofd_reader_of_its_own(office):
    """easyofd parses the package (its own reader, not ours): pages, text, fonts."""
    OFD = pytest.importorskip("easyofd.ofd").OFD
    path = [p for p in office.extras if p.suffix == ".ofd"][0]
    reader = OFD()
    reader.read(path.read_bytes(), fmt="binary")
    doc = reader.data[0]
    assert len(doc["page_info"]) == office.pages
    first = doc["page_info"][0]["text_list"]
    assert "".join(t["text"] for t in first).count("签约") >= 3
    assert len(doc["fonts"]) >= 4


def test_ofd_is_reproducible(office):
    from reports.pdf.ofd import pdf_to_ofd

    path = [p for p in office.extras if p.suffix == ".ofd"][0]
    assert pdf_to_ofd(office.pdf.read_bytes(), date="2026-10-31") == path.read_bytes()


# ── asking for them ────────────────────────────────────────────────────────────────────────

def test_formats_are_checked():
    assert parse_formats("pdf, DOCX,ofd,docx") == ("pdf", "docx", "ofd")
    assert parse_formats(None) == ("pdf",)
    with pytest.raises(ReportError, match="不认识的输出格式“doc”"):
        parse_formats("pdf,doc")
    with pytest.raises(ReportError, match="须包含 pdf"):
        parse_formats("docx")


def test_cli_formats_and_print_refusal(tmp_path, capsys):
    from reports.cli import main

    assert main(["build", "--data", str(SAMPLE), "--out", str(tmp_path), "--print",
                 "--formats", "pdf,docx"]) == 2  # bad arguments: exit 2, nothing written
    assert "印刷版" in capsys.readouterr().err
    assert main(["build", "--data", str(SAMPLE), "--out", str(tmp_path),
                 "--formats", "pdf,word"]) == 2
    assert "不认识的输出格式“word”" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


# ── report monthly: [briefing] formats ─────────────────────────────────────────────────────

def test_monthly_writes_word_and_ofd_beside_the_record(tmp_path):
    import hashlib
    import json
    from datetime import date

    from conftest import SMALL_CONFIG, write_dataset

    from reports.products import monthly

    config = SMALL_CONFIG.replace('copies = 50\n', 'copies = 50\nformats = ["pdf", "docx", "ofd"]\n')
    data = write_dataset(tmp_path / "data", config=config)
    archive = tmp_path / "archive"
    result = monthly.run(data, archive, progress=False, today=date(2025, 4, 3))
    assert result.exit_code == 0
    folder = archive / "2025" / "03"
    entry = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["jobs"]["全省"]
    assert set(entry["extras"]) == {"全省.docx", "全省.ofd"}
    for name, digest in entry["extras"].items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest
    words = flat("".join(p.text for p in Document(str(folder / "全省.docx")).paragraphs))
    assert "测试招商简报" in words and "一、总体情况" in words
    with pikepdf.open(folder / "全省.pdf") as pdf:  # the record: PDF/A-3b, and tagged
        assert "/StructTreeRoot" in pdf.Root
    again = monthly.run(data, archive, progress=False, today=date(2025, 4, 3))
    assert {o.status for o in again.outcomes} == {"up-to-date"}


def test_config_formats_are_checked(tmp_path):
    from conftest import SMALL_CONFIG, write_dataset

    from reports.data.config import load_config
    from reports.errors import ConfigError

    for bad, message in (('["pdf", "word"]', "“word”不是可用的格式"), ('["docx"]', "须包含")):
        config = SMALL_CONFIG.replace('copies = 50\n', f'copies = 50\nformats = {bad}\n')
        data = write_dataset(tmp_path / bad.count('"').__str__(), config=config)
        with pytest.raises(ConfigError, match=message):
            load_config(data)


# ── delegation handouts ────────────────────────────────────────────────────────────────────

def test_handouts_in_word_and_ofd_chinese_and_english(tmp_path):
    from reports.products.handout_batch import build_all

    result = build_all(SAMPLE, [SAMPLE / "delegations"], tmp_path, formats="pdf,docx,ofd",
                       workers=1)
    assert result.exit_code == 0
    for outcome in result.outcomes:
        extras = {p.suffix: p for p in outcome.handout.extras}
        assert set(extras) == {".docx", ".ofd"}
        assert all(p.parent == tmp_path for p in extras.values())
        document = Document(str(extras[".docx"]))
        words = "".join(p.text for p in document.paragraphs)
        package = zipfile.ZipFile(extras[".ofd"])
        ofd_words = flat("".join(_page_texts(package)))
        pdf = outcome.handout.files[0]
        if pdf.is_dir():
            pdf = sorted(pdf.iterdir())[0]
        with pikepdf.open(pdf) as tagged:  # each copy tagged, in its language
            assert str(tagged.Root.Lang) == ("en" if outcome.handout.delegation.language
                                             == "en" else "zh-CN")
            assert "/StructTreeRoot" in tagged.Root
        for combined in outcome.handout.files[0].parent.glob("*-全部*份.pdf"):
            with pikepdf.open(combined) as job:  # the printer's file: one tree can't serve
                assert "/StructTreeRoot" not in job.Root
        if outcome.handout.delegation.language == "en":
            assert "Invest in Qinghai" in words and not re.search(r"[\u4e00-\u9fff]", words)
            assert document.styles["Body Text"].font.name == "Times New Roman"
            assert "InvestmentPromotionResults" in ofd_words
        else:
            assert "投资合作推介资料" in words and "投资合作推介资料" in ofd_words
        assert len(_page_texts(package)) == outcome.handout.pages
        lines = [flat(line) for line in text(pdf, 1, 1).splitlines()
                 if flat(line) and not re.search(r"第\d+份|[Cc]opy", line)]
        assert len(lines) >= 4 and all(line in ofd_words for line in lines)  # no copy number


def test_verify_notices_a_changed_word_copy(tmp_path):
    from datetime import date

    from conftest import SMALL_CONFIG, write_dataset

    from reports.products import monthly
    from reports.products.verify import verify

    config = SMALL_CONFIG.replace('copies = 50\n', 'copies = 50\nformats = ["pdf", "docx"]\n')
    data = write_dataset(tmp_path / "data", config=config)
    archive = tmp_path / "archive"
    assert monthly.run(data, archive, progress=False, today=date(2025, 4, 3)).exit_code == 0
    assert verify(archive).problems == []
    (archive / "2025" / "03" / "全省.docx").write_bytes(b"edited")
    assert any("全省.docx 缺失或与记录不符" in p for p in verify(archive).problems)
