"""Issue 15: a template folder, a data folder or an input file cannot act on the machine.
One test per hole, each reproduced as it was found."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reports.cli import main

from conftest import SAMPLE, write_dataset


def build(data, tmp_path, *extra):
    return main(["build", "--data", str(data), "--period", "2025-03", "--out",
                 str(tmp_path / "out"), *extra])


def user_template(tmp_path, body: str, name: str = "briefing/sections/colophon.html") -> Path:
    folder = tmp_path / "tpl"
    (folder / name).parent.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(body, encoding="utf-8")
    return folder


# -- templates ---------------------------------------------------------------------------
@pytest.mark.parametrize("body", [
    "{{ cfg.path.joinpath('/etc/passwd').read_text() }}",
    "{{ cfg.path }}",
    "{{ cfg.path.parent.joinpath('x.pth').write_text('import os') }}",
    "{{ f.__class__ }}",
    "{{ cfg.region.__globals__ }}",
    "{{ ''.__class__.__mro__ }}",
    "{{ cycler.__init__.__globals__.os }}",
    "{{ lipsum.__globals__['os'].system('id') }}",
    "{{ theme.__class__.__init__ }}",
])
def test_a_template_reaches_no_file_and_no_code(small_data, tmp_path, capsys, body):
    planted = small_data / "x.pth"
    code = build(small_data, tmp_path, "--template", str(user_template(tmp_path, body)))
    err = capsys.readouterr().err
    assert code == 2, err
    assert "root:" not in err and "Traceback" not in err
    assert not planted.exists() and not (tmp_path / "out").exists()


@pytest.mark.parametrize("body, words", [
    ("{% for i in range(10**9) %}x{% endfor %}", "数量过大"),
    ("{{ 'x' * 10**9 }}", "重复过大"),
    ("{{ 9 ** 9999999 }}", "乘方过大"),
    ("{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", "递归过深"),
    ("{% for i in range(99999) %}{% for j in range(99999) %}{{ 'y' * 9999 }}{% endfor %}"
     "{% endfor %}", "输出过大"),
    # the same output captured, not streamed: the child's memory limit stops it
    ("{% set x %}{% for i in range(99999) %}{% for j in range(99999) %}{{ 'y' * 9999 }}"
     "{% endfor %}{% endfor %}{% endset %}{{ x|length }}", "内存用尽"),
])
def test_template_resource_abuse_is_exit_2_with_a_message(small_data, tmp_path, capsys, body,
                                                          words):
    if "endset" in body and len(os.sched_getaffinity(0)) < 2:
        pytest.skip("one core: the build runs inline, without a child to limit")
    code = build(small_data, tmp_path, "--template", str(user_template(tmp_path, body)))
    err = capsys.readouterr().err
    assert code == 2 and words in err and "Traceback" not in err, err


def test_the_built_in_templates_still_render_in_the_sandbox(small_data, tmp_path):
    """A user folder that overrides one harmless template: every built-in one around it
    renders under the same sandbox."""
    folder = user_template(tmp_path, "{% extends '!briefing/sections/colophon.html' %}")
    assert build(small_data, tmp_path, "--template", str(folder)) == 0


def test_a_template_symlink_out_of_its_folder_is_refused(small_data, tmp_path, capsys):
    folder = tmp_path / "tpl" / "briefing" / "sections"
    folder.mkdir(parents=True)
    (folder / "colophon.html").symlink_to("/etc/passwd")
    code = build(small_data, tmp_path, "--template", str(tmp_path / "tpl"))
    err = capsys.readouterr().err
    assert code == 2 and "已拒绝" in err and "root:" not in err


# -- the data folder: links out of it --------------------------------------------------------
def test_a_table_linked_out_of_the_data_folder_is_not_read(small_data, tmp_path, capsys):
    """签约项目.csv as a link to a file elsewhere (here a valid table with a secret in it, so
    that only the link can be the reason): refused, and nothing of the file is printed."""
    outside = tmp_path / "elsewhere.csv"
    outside.write_bytes((small_data / "签约项目.csv").read_bytes().replace(
        "西宁光伏项目".encode(), b"SECRET-ROW"))
    (small_data / "签约项目.csv").unlink()
    (small_data / "签约项目.csv").symlink_to(outside)
    code = build(small_data, tmp_path)
    err = capsys.readouterr().err
    assert code == 2 and "是指向数据文件夹以外的链接" in err and "已拒绝读取" in err, err
    assert "SECRET-ROW" not in err and not (tmp_path / "out").exists()


def test_monthly_does_not_log_a_linked_table(small_data, tmp_path, capsys):
    (small_data / "签约项目.csv").unlink()
    (small_data / "签约项目.csv").symlink_to("/etc/passwd")
    archive = tmp_path / "archive"
    code = main(["monthly", "--data", str(small_data), "--archive", str(archive),
                 "--period", "2025-03", "--allow-incomplete"])
    err = capsys.readouterr().err
    assert code == 2 and "已拒绝读取" in err
    log = (archive / "logs" / "monthly.log").read_text(encoding="utf-8")
    assert "已拒绝读取" in log and "root:" not in log and "root:" not in err
    assert not list(archive.glob("2025-03/*.pdf"))


def test_config_and_profile_linked_out_are_refused(small_data, tmp_path, capsys):
    outside = tmp_path / "elsewhere.toml"
    outside.write_text((small_data / "config.toml").read_text(encoding="utf-8"), encoding="utf-8")
    (small_data / "config.toml").unlink()
    (small_data / "config.toml").symlink_to(outside)
    assert build(small_data, tmp_path) == 2
    assert "config.toml 是指向数据文件夹以外的链接" in capsys.readouterr().err

    (small_data / "config.toml").unlink()
    (small_data / "config.toml").write_text(outside.read_text(encoding="utf-8") +
                                            '\n[print]\nicc_profile = "assets/passwd"\n',
                                            encoding="utf-8")
    elsewhere = tmp_path / "etc"
    elsewhere.mkdir()
    (elsewhere / "passwd").write_text("root:x:0:0")
    (small_data / "assets").symlink_to(elsewhere)
    assert build(small_data, tmp_path, "--print") == 2
    err = capsys.readouterr().err
    assert "assets/ 是指向数据文件夹以外的链接，已拒绝" in err and "root:" not in err


def test_an_assets_folder_linked_out_serves_nothing(tmp_path, caplog):
    from reports.typeset.render import FetchRefused, RestrictedFetcher

    elsewhere = tmp_path / "etc"
    elsewhere.mkdir()
    (elsewhere / "passwd").write_text("root:x:0:0")
    data = tmp_path / "data"
    data.mkdir()
    (data / "assets").symlink_to(elsewhere)
    fetcher = RestrictedFetcher([data / "assets"])
    with pytest.raises(FetchRefused):
        fetcher.fetch((data / "assets" / "passwd").as_uri())
    assert fetcher.served == [] and "其中的文件不会被读取" in caplog.text

    (data / "assets").unlink()  # a real folder again: the same fetcher sees it, per request
    (data / "assets").mkdir()
    (data / "assets" / "logo.svg").write_text("<svg/>")
    fetcher.fetch((data / "assets" / "logo.svg").as_uri())
    assert fetcher.served == [str((data / "assets" / "logo.svg").resolve())]


# -- delegation files: names become output names --------------------------------------------
def delegations(tmp_path, names: dict[str, str]) -> Path:
    folder = tmp_path / "delegations"
    folder.mkdir()
    body = (SAMPLE / "delegations" / "德国商会代表团.yaml").read_text(encoding="utf-8")
    for name, text in names.items():
        (folder / name).write_text(text or body, encoding="utf-8")
    return folder


def batch(folder, out, *extra):
    return main(["delegations", str(folder), "--data", str(SAMPLE), "--out", str(out), *extra])


def test_dot_names_never_name_an_output(tmp_path, capsys):
    """``..yaml`` and ``...yaml`` (stems ``.`` and ``..``): as output names they would be the
    output folder itself or its parent, which a folder swap would replace."""
    folder = delegations(tmp_path, {"..yaml": "", "...yaml": "", ".隐藏.yaml": "", "好.yaml": ""})
    out = tmp_path / "box" / "out"
    out.mkdir(parents=True)
    (tmp_path / "box" / "keep.txt").write_text("mine")
    assert batch(folder, out) == 0  # in a folder, hidden files are not delegations
    assert sorted(p.name for p in out.iterdir()) == ["好.pdf"]
    capsys.readouterr()
    code = main(["delegations", *(str(folder / n) for n in ("..yaml", "...yaml", ".隐藏.yaml")),
                 "--data", str(SAMPLE), "--out", str(out)])  # named one by one, they are read
    captured = capsys.readouterr()
    assert code == 2
    assert captured.err.count("它会用作输出文件名，请改名") == 3, captured.err
    assert (tmp_path / "box" / "keep.txt").read_text() == "mine"
    assert sorted(p.name for p in out.iterdir()) == ["好.pdf"]


def test_two_files_with_one_output_name_are_both_refused(tmp_path, capsys):
    folder = delegations(tmp_path, {"德国.yaml": "", "德国.yml": "", "浙江.yaml": ""})
    code = batch(folder, tmp_path / "out")
    err = capsys.readouterr().err
    assert code == 2 and err.count("的输出同名（德国）") == 2, err
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["浙江.pdf"]


def test_a_folder_of_someone_elses_is_never_replaced(tmp_path, capsys):
    body = (SAMPLE / "delegations" / "浙江企业家考察团.yaml").read_text(encoding="utf-8")
    assert "份数: 5" in body
    folder = delegations(tmp_path, {"浙江企业家考察团.yaml": body})
    out = tmp_path / "out"
    (out / "浙江企业家考察团").mkdir(parents=True)
    (out / "浙江企业家考察团" / "报价单.docx").write_text("mine")
    code = batch(folder, out)
    err = capsys.readouterr().err
    assert code == 1 and "浙江企业家考察团" in err, err
    assert (out / "浙江企业家考察团" / "报价单.docx").read_text() == "mine"
    assert sorted(p.name for p in (out / "浙江企业家考察团").iterdir()) == ["报价单.docx"]


# -- YAML and TOML: size, aliases, depth ------------------------------------------------------
BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
    f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
    f"*{chr(97 + i)}]\n" for i in range(8)) + "名称: 炸弹\n"


@pytest.mark.parametrize("text, words", [
    (BOMB, "别名"),
    ("名称: " + "[" * 500 + "]" * 500 + "\n", "嵌套超过20层"),
    ("名称: 长\n简介: " + "长" * 1_100_000 + "\n", "过大"),
])
def test_hostile_yaml_is_a_clear_error(tmp_path, capsys, text, words):
    folder = delegations(tmp_path, {"坏.yaml": text, "好.yaml": ""})
    code = batch(folder, tmp_path / "out")
    err = capsys.readouterr().err
    assert code == 2 and "坏.yaml" in err and words in err and "Traceback" not in err, err
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["好.pdf"]


@pytest.mark.parametrize("depth", [500, 5000])
def test_deeply_nested_toml_is_a_config_error(small_data, tmp_path, capsys, depth):
    (small_data / "config.toml").write_text(
        (small_data / "config.toml").read_text(encoding="utf-8") + "x = " + "[" * depth +
        "]" * depth + "\n", encoding="utf-8")
    code = build(small_data, tmp_path)
    err = capsys.readouterr().err
    assert code == 2 and "config.toml" in err and "Traceback" not in err, err


# -- workbooks: sizes and extents checked before the native reader ----------------------------
def xlsx_ledger(small_data: Path, tweak=None) -> Path:
    import csv

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "签约项目"
    with open(small_data / "签约项目.csv", encoding="utf-8", newline="") as f:
        for row in csv.reader(f):
            sheet.append(row)
    if tweak:
        tweak(sheet)
    (small_data / "签约项目.csv").unlink()
    book.save(small_data / "签约项目.xlsx")
    return small_data / "签约项目.xlsx"


def test_a_far_cell_is_refused_before_the_native_reader(small_data, tmp_path):
    """A cell at XFD1048576 (a stray format Ctrl+End finds): calamine would allocate the whole
    range and abort the process; refused first, with a message. Run as a process of its own:
    an abort must fail this test, not end the suite."""
    import subprocess
    import sys

    def far(sheet):
        sheet["XFD1048576"] = "x"

    xlsx_ledger(small_data, far)
    run = subprocess.run([sys.executable, "-m", "reports", "build", "--data", str(small_data),
                          "--period", "2025-03", "--out", str(tmp_path / "out")],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 2, run.stderr
    assert "使用范围过大（1048576行 × 16384列" in run.stderr and "XFD1048576" in run.stderr
    assert "签约项目.xlsx" in run.stderr and not (tmp_path / "out").exists()


def test_a_workbook_that_inflates_beyond_the_limit_is_refused(small_data, tmp_path, capsys):
    import zipfile

    path = xlsx_ledger(small_data)
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        with z.open("xl/media/image1.bin", "w", force_zip64=True) as member:
            zeros = bytes(1 << 20)
            for _ in range(260):  # 260 MB of zeros, about 1 MB on disk
                member.write(zeros)
    assert path.stat().st_size < 5 << 20
    code = build(small_data, tmp_path)
    err = capsys.readouterr().err
    assert code == 2 and "工作簿解压后过大（xl/media/image1.bin" in err, err


# -- report check: a hostile PDF ---------------------------------------------------------------
def test_check_refuses_a_decompression_bomb(tmp_path, capsys):
    import zlib

    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    packer = zlib.compressobj(1)
    data = b"".join(packer.compress(bytes(1 << 20)) for _ in range(80)) + packer.flush()
    stream = pikepdf.Stream(pdf, b"")
    stream.write(data, filter=pikepdf.Name.FlateDecode)
    pdf.pages[0].Contents = stream
    path = tmp_path / "bomb.pdf"
    pdf.save(path)
    assert path.stat().st_size < 1 << 20
    code = main(["check", str(path)])
    captured = capsys.readouterr()
    assert code == 2, captured
    assert "解压后超过 64 MB" in captured.err and "未检查" in captured.err


def test_check_finds_a_missing_glyph_in_a_reportlab_pdf(tmp_path):
    """ReportLab draws a character its TrueType font lacks as code 0 of a subset, mapped to
    U+0000 in its ToUnicode: check counts it as .notdef (WeasyPrint's case: test_print.py)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    from reports.pdf.preflight import check_pdf
    from reports.typeset.theme import ROOT

    def statuses(report):
        return {f.check: f.status for f in report.findings}

    pdfmetrics.registerFont(TTFont("SecNotoSans", str(ROOT / "fonts" / "NotoSansSC-Regular.ttf")))
    path = tmp_path / "rl.pdf"
    page = canvas.Canvas(str(path))
    page.setFont("SecNotoSans", 12)
    page.drawString(72, 720, "缺字\ue000测试")
    page.save()
    report = check_pdf(path)
    assert statuses(report)["缺字（.notdef）"] == "fail"

    page = canvas.Canvas(str(tmp_path / "ok.pdf"))
    page.setFont("SecNotoSans", 12)
    page.drawString(72, 720, "缺字测试")
    page.save()
    assert statuses(check_pdf(tmp_path / "ok.pdf"))["缺字（.notdef）"] == "pass"


# -- characters: none printed that a reader cannot see, none sent to the terminal --------------
@pytest.mark.parametrize("char, code", [
    ("\ue000", "U+E000"),  # private use: a glyph of some font on the sender's PC
    ("\u2028", "U+2028"),  # line separator, from a web page
])
def test_an_unprintable_character_in_a_cell_stops_the_build(tmp_path, capsys, char, code):
    """(Zero-width and bidi marks and control characters in a cell are dropped as the cell is
    read — the messy corpus's invisible-characters variant builds the sample's figures.)"""
    from conftest import SMALL_PROJECTS

    projects = [list(r) for r in SMALL_PROJECTS]
    projects[3][1] = f"海西{char}旅游项目"  # signed in March 2025: printed
    data = write_dataset(tmp_path / "data", projects=projects)
    status = build(data, tmp_path)
    err = capsys.readouterr().err
    assert status == 2 and code in err, err
    assert char not in err and not (tmp_path / "out").exists()


@pytest.mark.parametrize("escaped, code", [
    ("\\uE000", "U+E000"), ("\\u2028", "U+2028"), ("\\u0007", "U+0007"),
    ("\\u202E", "U+202E"),  # right-to-left override: the rest of the line printed reversed
    ("\\u200B", "U+200B"), ("\\u0378", "U+0378"),  # zero-width space; unassigned
])
def test_an_invisible_character_in_the_config_stops_the_build(small_data, tmp_path, capsys,
                                                              escaped, code):
    config = small_data / "config.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        'publisher = "测试投资促进局"', f'publisher = "测试投资{escaped}促进局"'), encoding="utf-8")
    status = build(small_data, tmp_path)
    err = capsys.readouterr().err
    assert status == 2 and code in err, err
    assert chr(int(code[2:], 16)) not in err and not (tmp_path / "out").exists()


def test_escape_codes_in_a_ledger_reach_the_terminal_as_text(tmp_path, capsys):
    from conftest import PROJECTS_HEADER, SMALL_PROJECTS

    projects = [list(r) for r in SMALL_PROJECTS]
    projects[1][2] = "\x1b[2J\x1b[31m海东"  # clear the screen, red
    data = write_dataset(tmp_path / "data", projects=projects)
    status = build(data, tmp_path)
    err = capsys.readouterr().err
    assert status == 2 and "<U+001B>[2J<U+001B>[31m海东" in err, err
    assert "\x1b" not in err
    status = main(["validate", "--data", str(data)])
    captured = capsys.readouterr()
    assert status == 2 and "<U+001B>[2J<U+001B>[31m海东" in captured.out + captured.err
    assert "\x1b" not in captured.out + captured.err

    header = list(PROJECTS_HEADER)
    header[4] = "\x1b]0;owned\x07投资方"  # set the terminal's title
    data = write_dataset(tmp_path / "data2", headers={"projects": header})
    status = build(data, tmp_path)
    err = capsys.readouterr().err
    assert status == 2 and "表头“<U+001B>]0;owned<U+0007>投资方”" in err, err
    assert "\x1b" not in err and "\x07" not in err


# -- a delegation batch: a worker that dies costs one handout ---------------------------------
def test_a_killed_worker_costs_only_its_handout(tmp_path, capsys, monkeypatch):
    """The system kills the worker building one handout (out of memory, say), every time it
    is tried: that file is reported failed, the others are built, and the batch ends."""
    import signal

    from reports.products.handout import Builder

    copies = Builder.copies

    def dying(self, d):
        if d.file.stem == "德国":
            os.kill(os.getpid(), signal.SIGKILL)
        return copies(self, d)

    monkeypatch.setattr(Builder, "copies", dying)  # inherited by the forked workers
    folder = delegations(tmp_path, {"德国.yaml": "", "甲.yaml": "", "乙.yaml": ""})
    code = batch(folder, tmp_path / "out", "--jobs", "2")
    captured = capsys.readouterr()
    assert code == 1
    assert "生成 德国.yaml 的进程被信号 SIGKILL 终止（常见原因：内存不足，被系统结束）" in captured.err
    assert "成功2个，失败1个" in captured.out
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["乙.pdf", "甲.pdf"]
