"""English handouts an English-speaking investor trusts (issue 18): no Chinese, names romanised
where the data gives no English, plurals and articles right, one date style, no sentence
opening with a numeral, typographic quotes set proportional, amounts that agree with the
figures; and delegation input staff can write — YAML mistakes explained at their line, a
代表团 sheet in a workbook, 来源地 checked, stray files reported; no near-empty pages."""

from __future__ import annotations

import io
import re
import shutil
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest
from pdfcheck import flat, pages_text, section_pages, text

from reports.cli import main
from reports.data.delegation import load_delegation
from reports.figures import english
from reports.figures.fmt import Formatter
from reports.products.handout import Builder

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data"
CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef「」]")


@pytest.fixture(scope="module")
def builder():
    return Builder(SAMPLE)


@pytest.fixture(scope="module")
def german(builder, tmp_path_factory):
    d = load_delegation(SAMPLE / "delegations" / "德国商会代表团.yaml", builder.config)
    h = builder.build(d, tmp_path_factory.mktemp("german"))
    return d, h.files[0]


def write(folder: Path, name: str, body: str) -> Path:
    path = folder / name
    path.write_text(body, encoding="utf-8")
    return path


# -- names -----------------------------------------------------------------------------------
def test_people_in_pinyin_surname_first():
    assert english.person("王海东") == "Wang Haidong"
    assert english.person("欧阳明") == "Ouyang Ming"  # a compound surname
    assert english.person("单雄信") == "Shan Xiongxin"  # a surname read otherwise
    assert english.person("Li Xiaomei") == "Li Xiaomei"


def test_names_from_the_glossary_and_pinyin():
    assert english.romanise("浙汇控股集团有限公司") == "Zhehui Holding Group Co., Ltd."
    assert english.romanise("天峻现代物流园（二期）项目") == \
        "Tianjun Modern Logistics Park (Phase II) Project"
    assert english.romanise("格尔木镁系新材料项目") == "Golmud Magnesium Materials Project"
    assert english.romanise("玛沁光伏发电项目") == "Maqên PV Power Project"  # not Maqin
    assert english.romanise("外资服务处") == "Foreign Investment Services Division"
    assert english.romanise("西安") == "Xi’an"  # a syllable boundary marked


def test_quotes_made_typographic():
    assert english.typographic("China's \"green\" power") == "China’s “green” power"


# -- the German delegation's handout ---------------------------------------------------------
def test_no_chinese_and_names_romanised(german):
    d, pdf = german
    whole = text(pdf)
    assert not CJK.findall(whole), sorted(set(CJK.findall(whole)))
    # a project and its investor the data gives only in Chinese (签约项目 has no English)
    assert flat("Ledu Potassium Chloride Processing Project") in flat(whole)
    assert flat("Germany Ruibo International Co., Ltd.") in flat(whole)
    # a contact from the 英文联系人 column, a cooperation mode from the glossary
    assert flat("Joint venture") in flat(whole) or flat("Wholly owned") in flat(whole)
    assert flat("Li Xiaomei") in flat(whole)


def test_plurals_articles_dates(german):
    d, pdf = german
    whole = flat(text(pdf))
    assert flat("enterprises from Germany signed 1 project in Qinghai") in whole  # one
    assert flat("Qinghai signed 122 investment projects worth") in whole  # many
    assert "1 projects" not in text(pdf)
    assert flat("Presented to the Delegation of the German Chamber") in whole
    assert "3 December 2026" in text(pdf) and "December 3" not in text(pdf)
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", text(pdf))  # no ISO dates in English
    assert re.search(r"\b\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}\b",
                     text(pdf))  # table dates: 2 May 2024


def test_no_sentence_opens_with_a_numeral(builder, german):
    """The running text of every chapter (its paragraphs, not its tables): no sentence begins
    with a figure."""
    import html as markup

    d, pdf = german
    paragraphs = []
    for section in builder.sections(d):
        page = builder._html(section, "en")
        paragraphs += [markup.unescape(re.sub(r"<[^>]+>", "", p))
                       for p in re.findall(r"<p\b[^>]*>(.*?)</p>", page, re.S)]
    assert len(paragraphs) > 20
    said = [s.strip() for p in paragraphs for s in re.split(r"(?<=[.!?])\s+", p) if s.strip()]
    opening = [s for s in said if s[0].isdigit()]
    assert opening == [], opening[:5]


def test_quotes_are_typographic_and_proportional(german):
    """No straight quote or apostrophe; the curly ones, which a CJK font sets an em wide, set
    at their Latin width by the fonts' pwid feature: “China’s” has no gap after ’."""
    d, pdf = german
    assert "'" not in text(pdf) and '"' not in text(pdf)
    with pdfplumber.open(pdf) as doc:
        found = 0
        for page in doc.pages:
            chars = page.chars
            for a, b in zip(chars, chars[1:]):
                if a["text"] == "’" and b["text"] == "s" and abs(a["top"] - b["top"]) < 1:
                    assert b["x0"] - a["x0"] < 0.4 * a["size"]  # not an em
                    found += 1
        assert found >= 1


def test_amounts_agree_with_the_estimates(builder, german):
    """Each opportunity's English description states its own estimate (亿 is a hundred
    million): never ten times it."""
    from reports.data.descriptions import check

    d, pdf = german
    whole = flat(text(pdf))
    shown = [o for o in builder.data.opportunities if o.industry in d.industries]
    assert len(shown) >= 8
    for o in shown:
        assert check(o.intro_en, True, o.investment) == [], o.name
        wrong = flat(f"CNY {o.investment / 100_000_000:f} billion")
        right = Formatter("en").amount(o.investment)
        if o.investment >= 10 ** 9 or wrong != flat(right):
            assert wrong not in whole or wrong == flat(right), o.name


def test_no_near_empty_pages(german):
    """Every page but the last is at least a third full: a chapter whose last page would be
    nearly empty is followed on it by the next; short tables and cards are never split."""
    d, pdf = german
    with pdfplumber.open(pdf) as doc:
        height = float(doc.pages[0].height)
        for number, page in enumerate(doc.pages[:-1], 1):
            body = [c for c in page.chars if 60 < c["top"] < height - 60]
            used = (max(c["bottom"] for c in body) - min(c["top"] for c in body)) / height
            assert used > 0.3, (number, round(used, 2))
    pages = section_pages(pdf)
    first, last = pages["Investment Promotion Results"]
    area = flat(text(pdf, first, last + 1))
    assert area.count(flat("Signed investment by area")) == 1
    rows = [page for page in pages_text(pdf) if "Golog Prefecture" in page and "Area" in page]
    assert rows  # the area table's rows are on one page with its header


def test_originals_beside_the_names_when_the_config_asks(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(SAMPLE, data, ignore=shutil.ignore_patterns("excel"))
    config = data / "config.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "[english]\n", "[english]\noriginals = true\n", 1), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["delegations", str(data / "delegations" / "德国商会代表团.yaml"), "--data",
                 str(data), "--out", str(out)]) == 0
    whole = flat(text(out / "德国商会代表团.pdf"))
    assert flat("Germany Ruibo International Co., Ltd. （德国瑞博国际有限公司）") in whole


# -- report validate -------------------------------------------------------------------------
def test_validate_lists_what_an_english_handout_romanises(capsys):
    assert main(["validate", "--data", str(SAMPLE)]) == 0
    err = capsys.readouterr().err
    assert "德国商会代表团.yaml（英文版）" in err
    assert "值“德国瑞博国际有限公司”，没有英文，英文版印作“Germany Ruibo International Co., Ltd.”" in err
    assert "“英文项目简介”列" in err and "一句话" in err


def test_validate_refuses_an_amount_ten_times_the_estimate(tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(SAMPLE, data, ignore=shutil.ignore_patterns("excel", "delegations"))
    table = data / "招商项目.csv"
    body = table.read_text(encoding="utf-8-sig")
    assert "CNY 5.07 billion" in body
    table.write_text(body.replace("CNY 5.07 billion", "CNY 50.7 billion", 1), encoding="utf-8")
    assert main(["validate", "--data", str(data)]) == 2
    err = capsys.readouterr().err
    assert "招商项目.csv 第2行 “英文项目简介”列" in err and "十倍" in err
    # and in Chinese: 5.07亿元 written for 50.7亿元
    table.write_text(body.replace("总投资约50.7亿元", "总投资约5.07亿元", 1), encoding="utf-8")
    assert main(["validate", "--data", str(data)]) == 2
    assert "十分之一" in capsys.readouterr().err


def test_validate_refuses_an_over_long_profile(tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(SAMPLE, data, ignore=shutil.ignore_patterns("excel", "delegations"))
    profile = data / "省情简介.yaml"
    body = profile.read_text(encoding="utf-8")
    body = re.sub(r"概况: >-\n(  .*\n)+", "概况: " + "青" * 3003 + "\n", body, count=1)
    profile.write_text(body, encoding="utf-8")
    assert main(["validate", "--data", str(data)]) == 2
    assert "内容过长（3003个字符，最多3000个）" in capsys.readouterr().err


# -- delegation input ------------------------------------------------------------------------
def test_yaml_mistakes_explained_at_their_line(tmp_path, capsys):
    folder = tmp_path / "d"
    folder.mkdir()
    write(folder, "冒号.yaml", "名称：江苏代表团\n来访日期: 2026-12-01\n关注产业: [新能源]\n来源地: 江苏\n")
    write(folder, "缩进.yaml", "名称: 浙江代表团\n来访日期: 2026-12-01\n关注产业: [新能源]\n来源地:浙江\n"
          "联系人:\n\t姓名: 王海东\n")
    write(folder, "日期.yaml", "名称: 山东代表团\n来访日期: 12月3日\n关注产业: [新能源]\n来源地: 德過\n")
    assert main(["delegations", str(folder), "--data", str(SAMPLE), "--out",
                 str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "第1行：“名称：”用了中文冒号“：”，请改为英文冒号加一个空格：“名称: ”" in err
    assert "第4行：“来源地:”后面缺少空格：写作“来源地: 浙江”" in err
    assert "第6行：行首用了制表符（Tab）缩进" in err
    assert "字段“来访日期（第2行）”：值“12月3日”，要写年份：写作 2026-12-03" in err
    assert "字段“来源地（第4行）”：值“德過”，不是已知的省份或国家名称：是否指“德国”？" in err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_home_kept_under_its_one_name(builder, tmp_path):
    path = write(tmp_path, "日本.yaml", "名称: 日本商社考察团\n英文名称: Japanese Trading Houses Mission\n"
                 "来访日期: 2026-12-08\n关注产业: [新能源]\n来源地: 日本国\n语言: en\n")
    d = load_delegation(path, builder.config)
    assert d.home == "日本"
    h = builder.build(d, tmp_path / "out")
    assert flat("Investments by Enterprises from Japan in Qinghai") in flat(text(h.files[0]))


def test_a_stray_file_is_reported_not_skipped(tmp_path, capsys):
    folder = tmp_path / "d"
    folder.mkdir()
    shutil.copy(SAMPLE / "delegations" / "浙江企业家考察团.yaml", folder)
    write(folder, "上海代表团.txt", "名称: 上海代表团\n")
    assert main(["delegations", str(folder), "--data", str(SAMPLE), "--out",
                 str(tmp_path / "out")]) == 2
    captured = capsys.readouterr()
    assert "成功1个，失败1个" in captured.out
    assert "上海代表团.txt 不是代表团文件" in captured.err


def test_delegations_from_the_template_sheet(tmp_path, capsys):
    """The 代表团 sheet of report template's workbook, one row a delegation: each row a handout;
    a bad row reported at its sheet, row and column while the others are built."""
    import datetime

    import openpyxl

    book = tmp_path / "template.xlsx"
    assert main(["template", "--data", str(SAMPLE), "--out", str(book)]) == 0
    wb = openpyxl.load_workbook(book)
    ws = wb["代表团"]
    rows = [["上海企业家代表团", "", datetime.date(2026, 12, 9), "大数据、现代服务业", "西宁", "上海", "zh",
             2, "韩雪", "Han Xue", "", "", "0971-6300019", "", ""],
            ["新加坡投资考察团", "Singapore Investment Mission", datetime.date(2026, 12, 10), "新能源",
             "", "新加坡", "en", 1, "", "", "", "", "", "", "新加坡考察团"],
            ["山东代表团", "", "12月3日", "火星矿业", "", "山东", "", "", "", "", "", "", "", "", ""]]
    for r, values in enumerate(rows, 2):
        for c, value in enumerate(values, 1):
            ws.cell(r, c, value)
    folder = tmp_path / "d"
    folder.mkdir()
    wb.save(folder / "来访代表团.xlsx")
    out = tmp_path / "out"
    assert main(["delegations", str(folder), "--data", str(SAMPLE), "--out", str(out)]) == 2
    captured = capsys.readouterr()
    assert sorted(p.name for p in out.iterdir()) == ["上海企业家代表团", "新加坡考察团.pdf"]
    assert len(list((out / "上海企业家代表团").glob("*第*份.pdf"))) == 2
    assert "成功2个，失败1个" in captured.out
    assert "来访代表团.xlsx［代表团］ 第4行 “来访日期”列：值“12月3日”，要写年份" in captured.err
    assert "第4行 “关注产业”列：值“火星矿业”" in captured.err
    assert flat("Presented to the Singapore Investment Mission") in \
        flat(text(out / "新加坡考察团.pdf"))


# -- Chinese handouts: figures with their units ----------------------------------------------
def test_a_figure_never_parts_from_its_unit(builder, tmp_path):
    d = load_delegation(SAMPLE / "delegations" / "浙江企业家考察团.yaml", builder.config)
    d = type(d)(**{**d.__dict__, "copies": 1})
    h = builder.build(d, tmp_path)
    with pdfplumber.open(h.files[0]) as doc:
        for page in doc.pages:
            rows = defaultdict(list)
            for c in page.chars:
                rows[round(c["top"])].append(c)
            lines = ["".join(c["text"] for c in sorted(r, key=lambda c: c["x0"]))
                     for _, r in sorted(rows.items())]
            for a, b in zip(lines, lines[1:]):
                assert not (re.search(r"[\d.]$", a) and re.match(r"(万亿元|亿元|万元|元|%|万平方公里)", b)), \
                    (a, b)
