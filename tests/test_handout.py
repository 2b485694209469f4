"""Delegation handouts (issue 6): content filtered to the delegation, marks on every page,
English without untranslated text, a complete catalogue, clear errors, reuse, batches."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from pdfcheck import BUNDLED_FONTS, flat, fonts, pages_text, section_pages, text

from reports.cli import main
from reports.data.handout import load_delegation, load_handout_data
from reports.data.validate import load_dataset
from reports.errors import ConfigError, DataError, ReportError
from reports.products.handout import Builder

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data"
CJK = re.compile(r"[\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
                 r"\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")


@pytest.fixture(scope="module")
def builder():
    return Builder(SAMPLE)


def delegation(folder: Path, name: str, body: str) -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(body, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def jiangsu(builder, tmp_path_factory):
    folder = tmp_path_factory.mktemp("jiangsu")
    path = delegation(folder, "江苏新能源考察团", "名称: 江苏新能源考察团\n来访日期: 2026-11-18\n"
                      "关注产业: [新能源]\n来源地: 江苏省\n份数: 3\n")
    d = load_delegation(path, builder.config)
    return d, builder.build(d, folder / "out")


@pytest.fixture(scope="module")
def german(builder, tmp_path_factory):
    folder = tmp_path_factory.mktemp("german")
    d = load_delegation(SAMPLE / "delegations" / "德国商会代表团.yaml", builder.config)
    return d, builder.build(d, folder)


def test_new_energy_from_jiangsu_gets_exactly_its_opportunities(builder, jiangsu):
    d, h = jiangsu
    assert [p.name for p in h.files] == [f"江苏新能源考察团-第{i}份.pdf" for i in (1, 2, 3)] + \
        ["江苏新能源考察团-全部3份.pdf"]
    whole = flat(text(h.files[0]))
    offers = builder.data.opportunities
    wanted = [o for o in offers if o.industry == "新能源"]
    assert len(wanted) >= 5
    for o in wanted:
        assert flat(o.name) in whole, o.name
    for o in offers:
        if o.industry != "新能源":
            assert flat(o.name) not in whole, o.name
    # the opportunity sheets carry each project's details
    sheets = section_pages(h.files[0])["招商项目推介"]
    sheet_text = flat(text(h.files[0], *sheets))
    for o in wanted:
        assert flat(o.intro) in sheet_text and o.phone in sheet_text


def test_new_energy_from_jiangsu_gets_exactly_jiangsu_projects(builder, jiangsu):
    d, h = jiangsu
    ds = builder.data.dataset
    end = (builder.period.year, builder.period.month)
    jiangsu_projects = [p for p in ds.projects if (p.origin or "").startswith("江苏")
                        and (p.signed_on.year, p.signed_on.month) <= end]
    others = [p for p in ds.projects if p not in jiangsu_projects]
    assert len(jiangsu_projects) > 10 and len(others) > 100
    first, last = section_pages(h.files[0])["江苏省企业在青海投资项目"]
    section = flat(text(h.files[0], first, last))
    for p in jiangsu_projects:
        assert flat(p.name) in section and flat(p.investor) in section, p.name
    for p in others:
        if not any(p.name in j.name for j in jiangsu_projects):
            assert flat(p.name) not in section, p.name
    total = sum(p.amount for p in jiangsu_projects) / 10 ** 8
    assert f"签约投资项目{len(jiangsu_projects)}个，签约金额{total:.2f}".rstrip("0") in section


def test_watermark_copy_number_and_page_number_on_every_page(jiangsu):
    d, h = jiangsu
    for copy, pdf in enumerate(h.files[:3], 1):
        pages = pages_text(pdf)
        assert len(pages) == h.pages >= 8
        for number, page in enumerate(pages, 1):
            page = flat(page)
            assert "仅供江苏新能源考察团参阅" in page, (pdf.name, number)
            assert f"第{copy}份/共3份" in page, (pdf.name, number)
            if number > 1:
                assert f"—{number}—" in page
    assert "第1份" not in flat(text(h.files[1]))
    # all three in one file for the printer, each copy's pages with its own number
    combined = pages_text(h.files[3])
    assert len(combined) == 3 * h.pages
    for copy in (1, 2, 3):
        assert all(f"第{copy}份/共3份" in flat(page)
                   for page in combined[(copy - 1) * h.pages:copy * h.pages])


def test_cover_contents_point_at_the_sections(jiangsu):
    d, h = jiangsu
    cover = pages_text(h.files[0])[0]
    for title, (first, _) in section_pages(h.files[0]).items():
        assert re.search(re.escape(title) + r"\s+" + str(first) + r"\b", cover), title
    assert "呈 江苏新能源考察团" in cover and "2026年11月18日" in cover


def test_english_handout_has_no_chinese(german):
    """No Chinese at all in an English handout: names the data gives only in Chinese are
    romanised (tests/test_english.py has the details)."""
    d, h = german
    assert len(h.files) == 1 and h.files[0].name == "德国商会代表团.pdf"
    whole = text(h.files[0])
    assert not CJK.findall(whole), sorted(set(CJK.findall(whole)))
    assert re.search(r"CNY \d+(\.\d+)? billion", whole)
    assert "3 December 2026" in whole and "December 3" not in whole
    assert flat("Presented to the Delegation of the German Chamber of Commerce in China") \
        in flat(whole)
    for page in pages_text(h.files[0]):
        assert flat("Prepared for the Delegation of the German Chamber of Commerce in China") \
            in flat(page)


def test_contact_page_qr_code_reads_back_the_website(german, tmp_path):
    import subprocess

    d, h = german
    first, last = section_pages(h.files[0])["Contact Us"]
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", str(first), "-l", str(last),
                    str(h.files[0]), str(tmp_path / "page")], check=True)
    image = next(tmp_path.glob("page*.png"))
    decoded = subprocess.run(["zbarimg", "-q", "--raw", str(image)], capture_output=True,
                             text=True).stdout.strip()
    assert decoded == "https://invest.qinghai.example/"


def test_english_without_english_name_romanises_it(builder, tmp_path):
    path = delegation(tmp_path, "visit", "名称: 新加坡企业家考察团\n来访日期: 2026-12-01\n"
                      "关注产业: 大数据\n来源地: 新加坡\n语言: en\n")
    h = builder.build(load_delegation(path, builder.config), tmp_path / "out")
    whole = flat(text(h.files[0]))
    assert flat("Presented to the Singapore Entrepreneurs Study Tour") in whole
    assert flat("Prepared for the Singapore Entrepreneurs Study Tour") in whole
    assert flat("Investments by Enterprises from Singapore in Qinghai") in whole
    assert not CJK.findall(text(h.files[0]))


def untranslated(ids: set[str], catalog) -> list[str]:
    """Template strings without a usable English translation, or with other placeholders."""
    bad = []
    for msgid in sorted(ids):
        message = catalog.get(msgid)
        forms = message.string if message is not None and isinstance(message.string, tuple) \
            else (message.string if message is not None else None,)
        if message is None or not all(forms) or message.fuzzy:
            bad.append(msgid)
        elif any(sorted(re.findall(r"%\(\w+\)[sd]", msgid)) !=
                 sorted(re.findall(r"%\(\w+\)[sd]", form)) for form in forms):
            bad.append(msgid)
    return bad


def extracted_ids() -> set[str]:
    from babel.messages.extract import extract_from_dir

    method_map = [("templates/handout/**.html", "jinja2"), ("reports/products/handout.py", "python")]
    options = {"templates/handout/**.html": {"extensions": "jinja2.ext.i18n"}}
    ids = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options):
        ids.add(message if isinstance(message, str) else message[0])
    return ids


def test_catalogue_is_complete():
    from babel.messages.pofile import read_po

    with open(ROOT / "templates" / "i18n" / "en.po", "rb") as f:
        catalog = read_po(f)
    ids = extracted_ids()
    assert len(ids) > 40 and "仅供%(name)s参阅" in ids and "联系我们" in ids
    assert untranslated(ids, catalog) == []
    # and the check does fail on a new string, a missing or a mismatched placeholder
    assert untranslated(ids | {"新的界面文字"}, catalog) == ["新的界面文字"]
    catalog.get("走进%(province)s").string = "About Qinghai"
    assert untranslated(ids, catalog) == ["走进%(province)s"]


def test_broken_delegation_file_names_file_and_field(builder, tmp_path):
    path = delegation(tmp_path, "坏文件", "名称: 测试团\n来访日期: 2026-13-01\n关注产业: [新能源, 火星矿业]\n"
                      "来源地: 江苏\n语言: fr\n份数: 0\n颜色: 红\n")
    with pytest.raises(DataError) as info:
        load_delegation(path, builder.config)
    messages = [str(p) for p in info.value.problems]
    assert "错误：坏文件.yaml 字段“来访日期（第2行）”：值“2026-13-01”，不是有效的日期：写作 2026-12-03" \
        "（或 2026年12月3日）" in messages
    assert any("字段“关注产业（第3行）”" in m and "火星矿业" in m for m in messages)
    assert any("字段“语言（第5行）”" in m and "zh（中文）或 en（英文）" in m for m in messages)
    assert any("字段“份数（第6行）”" in m for m in messages)
    assert any("字段“颜色”：未知的字段" in m for m in messages)
    assert len(messages) == 5
    missing = delegation(tmp_path, "缺字段", "来访日期: 2026-11-01\n")
    with pytest.raises(DataError) as info:
        load_delegation(missing, builder.config)
    text_ = "\n".join(map(str, info.value.problems))
    assert "缺字段.yaml 字段“名称”：不能为空" in text_ and "字段“来源地”：不能为空" in text_
    broken = delegation(tmp_path, "语法", "名称: [江苏\n")
    with pytest.raises(ConfigError, match=r"语法\.yaml 第2行：YAML 格式有误"):
        load_delegation(broken, builder.config)


def test_uncovered_character_in_delegation_name(builder, tmp_path):
    path = delegation(tmp_path, "生僻字", "名称: 𠀾国代表团\n来访日期: 2026-11-01\n关注产业: 新能源\n来源地: 江苏\n")
    with pytest.raises(ReportError) as info:
        builder.build(load_delegation(path, builder.config), tmp_path / "out")
    assert "生僻字.yaml" in str(info.value) and "U+2003E" in str(info.value)
    assert not (tmp_path / "out").exists()


def test_shared_sections_are_laid_out_once_and_rebuilds_are_identical(tmp_path):
    b = Builder(SAMPLE)
    one = load_delegation(delegation(tmp_path, "甲", "名称: 甲团\n来访日期: 2026-11-01\n"
                                     "关注产业: [新能源, 新材料]\n来源地: 浙江\n"), b.config)
    two = load_delegation(delegation(tmp_path, "乙", "名称: 乙团\n来访日期: 2026-11-02\n"
                                     "关注产业: [新能源, 新材料]\n来源地: 浙江省\n份数: 2\n"), b.config)
    first = b.build(one, tmp_path / "out")
    laid = b.laid_out
    assert b.reused == 0 and laid >= len(b.sections(one)) == 7
    second = b.build(two, tmp_path / "out")
    # profile, figures, 2 industries, 浙江 projects, the opportunities, contact — and the
    # chapters laid out together: all reused (浙江 and 浙江省 are one home); only the covers
    # were laid out again
    assert b.laid_out == laid and b.reused >= len(b.sections(two))
    assert "乙团" in flat(text(second.files[0], 1, 1)) and "甲团" not in flat(text(second.files[0]))
    again = Builder(SAMPLE).build(one, tmp_path / "again")
    assert again.files[0].read_bytes() == first.files[0].read_bytes()


def test_fonts_embedded_and_pages_a4(german):
    from pypdf import PdfReader

    d, h = german
    rows = fonts(h.files[0])
    assert rows and all(r["emb"] == "yes" and r["name"] in BUNDLED_FONTS for r in rows), rows
    reader = PdfReader(str(h.files[0]))
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 297)
    assert reader.metadata.title.startswith("Invest in Qinghai — Presented to the Delegation")


def test_batch_goes_on_after_a_broken_file(tmp_path, capsys):
    folder = tmp_path / "delegations"
    folder.mkdir()
    shutil.copy(SAMPLE / "delegations" / "浙江企业家考察团.yaml", folder)
    shutil.copy(SAMPLE / "delegations" / "德国商会代表团.yaml", folder)
    delegation(folder, "坏", "名称: 坏团\n来访日期: 2026-11-01\n关注产业: [火星矿业]\n来源地: 江苏\n")
    out = tmp_path / "out"
    code = main(["delegations", str(folder), "--data", str(SAMPLE), "--out", str(out),
                 "--jobs", "2"])
    captured = capsys.readouterr()
    assert code == 2
    assert sorted(p.name for p in out.iterdir()) == ["德国商会代表团.pdf", "浙江企业家考察团"]
    assert len(list((out / "浙江企业家考察团").glob("*第*份.pdf"))) == 5
    assert (out / "浙江企业家考察团" / "浙江企业家考察团-全部5份.pdf").is_file()
    assert "成功2个，失败1个" in captured.out
    assert "坏.yaml 字段“关注产业（第3行）”：值“火星矿业”" in captured.err
    # a rerun with fewer copies replaces the folder as a whole
    shutil.copy(SAMPLE / "delegations" / "浙江企业家考察团.yaml", tmp_path)
    body = (tmp_path / "浙江企业家考察团.yaml").read_text(encoding="utf-8").replace("份数: 5", "份数: 1")
    (tmp_path / "浙江企业家考察团.yaml").write_text(body, encoding="utf-8")
    assert main(["delegations", str(tmp_path / "浙江企业家考察团.yaml"), "--data", str(SAMPLE),
                 "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["德国商会代表团.pdf", "浙江企业家考察团.pdf"]


def test_briefing_ignores_the_handout_table_but_handouts_check_it(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(SAMPLE, data, ignore=shutil.ignore_patterns("excel", "delegations"))
    table = data / "招商项目.csv"
    lines = table.read_text(encoding="utf-8-sig").splitlines()
    lines[3] = lines[3].replace(",海西州,", ",火星州,", 1).replace(",西宁,", ",火星州,", 1) \
        .replace(",海南州,", ",火星州,", 1)
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    load_dataset(data)  # the briefing does not read it
    with pytest.raises(DataError) as info:
        load_handout_data(data)
    assert any(p.file == "招商项目.csv" and p.row == 4 and p.column == "市州"
               for p in info.value.problems)


def test_config_english_names_are_checked(tmp_path):
    from reports.data.config import load_config

    data = tmp_path / "data"
    data.mkdir()
    text_ = (SAMPLE / "config.toml").read_text(encoding="utf-8")
    (data / "config.toml").write_text(text_.replace('"新能源" = "New energy"',
                                                    '"新能源" = "New energy"\n"火星矿业" = "Mars mining"'),
                                      encoding="utf-8")
    with pytest.raises(ConfigError, match="火星矿业"):
        load_config(data)
    cfg = load_config(SAMPLE)
    assert dict(cfg.handout.industries_en)["新能源"] == "New energy"
    assert dict(cfg.handout.regions_en)["海西蒙古族藏族自治州"] == "Haixi Prefecture"


def test_english_names_fall_back_to_the_official_romanisation(small_data):
    from reports.data.config import load_config
    from reports.figures.i18n import Names

    names = Names(load_config(small_data), "en")  # a config with no [english] at all
    assert (names.province, names.province_full, names.title) == \
        ("Qinghai", "Qinghai Province", "Qinghai Province")
    assert names.publisher == "Ceshi Investment Promotion Bureau"  # 测试投资促进局
    assert names.place("江苏") == "Jiangsu" and names.place("德国") == "Germany"
    assert names.place("火星") == "Huoxing"
    zh = Names(load_config(small_data), "zh")
    assert (zh.province, zh.province_full) == ("青海", "青海省")


def test_english_catalogue_has_no_full_width_punctuation():
    """The catalogue writes English punctuation: never the full-width ，：；（）。 of Chinese.
    Its curly quotes “ ” ‘ ’ are set proportional by the fonts' pwid (the stylesheet asks
    for it; tests/test_english.py measures them)."""
    from babel.messages.pofile import read_po

    with open(ROOT / "templates" / "i18n" / "en.po", "rb") as f:
        catalog = read_po(f)
    wide = re.compile(r"[，：；（）。「」]")
    strings = [(m.id, form) for m in catalog if m.id
               for form in (m.string if isinstance(m.string, tuple) else (m.string,))]
    assert [i for i, form in strings if wide.search(form)] == []
    assert not [i for i, form in strings if "'" in form or '"' in form]  # typographic only
