"""Hostile input (issue 7): markup, template syntax and URLs typed into any text field are
printed literally by both engines — nothing is fetched, evaluated or attached."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SMALL_CONFIG, SMALL_PROJECTS, write_dataset
from pdfcheck import flat, text
from pypdf import PdfReader

from reports.figures.compute import Period
from reports.products.briefing import build

PAYLOADS = [
    '<img src="file:///etc/passwd">',
    '<link rel="attachment" href="/etc/passwd">',
    "<style>@import url(http://169.254.169.254/)</style>",
    "{{ 7*7 }}",
    '{% include "/etc/passwd" %}',
    '<font color="red">红</font>',
    '<a href="http://x.example/">链</a>',
    "<b>未闭合",
    "</para>&amp;",
]


@pytest.fixture
def fetched(monkeypatch):
    """Every URL WeasyPrint asks for, whatever the fetcher answers."""
    from reports.typeset import render
    from reports.typeset.render import RestrictedFetcher

    # parse the stylesheet afresh, so that its fonts are fetched (and seen) again
    monkeypatch.setattr(render, "_font_config", None)
    monkeypatch.setattr(render, "_stylesheets", {})
    urls: list[str] = []
    original = RestrictedFetcher.fetch

    def spy(self, url, headers=None):
        urls.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(RestrictedFetcher, "fetch", spy)
    return urls


def hostile_projects():
    rows = [list(r) for r in SMALL_PROJECTS]
    # P3, P4, P5 are signed in 1-3月 2025: in the ledger (ReportLab), the top projects and
    # the events table (WeasyPrint)
    rows[2][1] = "储能" + PAYLOADS[0] + PAYLOADS[3]  # 项目名称
    rows[2][4] = PAYLOADS[1] + "公司"  # 投资方
    rows[2][8] = "第24届青洽会" + PAYLOADS[2]  # 签约活动
    rows[3][1] = "旅游" + PAYLOADS[4]
    rows[3][4] = PAYLOADS[5] + PAYLOADS[6]
    rows[4][1] = "铜箔" + PAYLOADS[7]
    rows[4][4] = PAYLOADS[8]
    return rows


def assert_clean(pdf: Path, fetched: list[str]) -> None:
    from reports.typeset.theme import ROOT

    body = flat(text(pdf))
    for payload in PAYLOADS:
        assert flat(payload) in body, payload
    fonts = (ROOT / "fonts").as_uri()
    assert fetched and all(u.startswith(fonts) or u.startswith("data:") for u in fetched), fetched
    reader = PdfReader(str(pdf))
    assert reader.attachments == {}
    assert "/EmbeddedFiles" not in str(reader.trailer["/Root"].get("/Names", {}))


def test_briefing_prints_hostile_text_literally(tmp_path, fetched):
    folder = write_dataset(tmp_path / "d", projects=hostile_projects())
    result = build(folder, Period(2025, 3), tmp_path / "out")
    assert_clean(result.pdf, fetched)
    # and in the ReportLab-drawn ledger in particular (the page with its 合计), read in
    # drawing order (pypdf), so that a cell wrapped over two lines reads as one
    pages = [flat(page.extract_text()) for page in PdfReader(str(result.pdf)).pages]
    ledger = next(t for t in pages if "合计（3个项目）" in t)
    for payload in (PAYLOADS[0], PAYLOADS[1], PAYLOADS[5] + PAYLOADS[6], PAYLOADS[7],
                    PAYLOADS[8]):
        assert flat(payload) in ledger, payload


def test_weasyprint_ledger_path_too(tmp_path, fetched):
    folder = write_dataset(tmp_path / "d", projects=hostile_projects())
    result = build(folder, Period(2025, 3), tmp_path / "out", engine="weasyprint")
    assert_clean(result.pdf, fetched)


def test_config_names_with_markup_in_reportlab_charts(tmp_path, fetched):
    """Names from config.toml reach ReportLab's charts: markup there is text too."""
    config = SMALL_CONFIG.replace('short = "海东"', 'short = "<b>海东</b>"') \
        .replace('"生态旅游"]', '"<i>生态旅游"]')
    rows = [list(r) for r in SMALL_PROJECTS]
    rows[3][3] = "<i>生态旅游"
    for row in rows:
        row[2] = {"海东": "海东市"}.get(row[2], row[2])
    folder = write_dataset(tmp_path / "d", projects=rows, config=config)
    result = build(folder, Period(2025, 3), tmp_path / "out")
    body = flat(text(result.pdf))
    assert "<b>海东</b>" in body and "<i>生态旅游" in body


def test_reportlab_ledger_draws_markup_as_text():
    import io

    from reports.typeset.ledger import draw, paginate
    from reports.typeset.rlfonts import canvas

    rows = [(str(i), p, "西宁", "新能源", p, "2025-01-01", "1.00", "0.50")
            for i, p in enumerate(PAYLOADS + ["<para><img src='/etc/passwd'/>"], 1)]
    buffer = io.BytesIO()
    c = canvas(buffer, (595.27, 841.89))
    layout = draw(c, paginate(rows, ("", "合计", "", "", "", "", "9", "4.5")))
    c.save()
    assert layout.pages == 1 and buffer.getvalue().startswith(b"%PDF")


def test_handout_prints_hostile_text_literally(tmp_path, fetched):
    import shutil

    from conftest import SAMPLE

    from reports.data.handout import load_delegation
    from reports.products.handout import Builder

    data = tmp_path / "data"
    shutil.copytree(SAMPLE, data, ignore=shutil.ignore_patterns("excel", "delegations"))
    table = data / "招商项目.csv"
    lines = table.read_text(encoding="utf-8-sig").splitlines()
    # the first 新能源 offer: name and introduction
    index = next(i for i, line in enumerate(lines) if ",新能源," in line)
    cells = lines[index].split(",")
    cells[0] = "光伏" + PAYLOADS[0].replace('"', "'") + PAYLOADS[3]
    lines[index] = ",".join(cells[:5] + ['"' + PAYLOADS[4].replace('"', '""') + '"'] + cells[6:8]
                            + [""] * 3)
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    profile = data / "省情简介.yaml"
    profile.write_text(profile.read_text(encoding="utf-8").replace(
        "概况: >-", "概况: >-\n  <style>@import url(http://169.254.169.254/)</style>", 1),
        encoding="utf-8")
    visit = tmp_path / "团.yaml"
    visit.write_text("名称: '<b>测试团</b>{{ 7*7 }}'\n来访日期: 2026-11-01\n关注产业: 新能源\n"
                     "来源地: 江苏\n", encoding="utf-8")
    b = Builder(data)
    h = b.build(load_delegation(visit, b.config), tmp_path / "out")
    body = flat(text(h.files[0]))
    for payload in ("光伏" + PAYLOADS[0].replace('"', "'") + PAYLOADS[3], PAYLOADS[4],
                    PAYLOADS[2], "仅供<b>测试团</b>{{7*7}}参阅", "呈<b>测试团</b>{{7*7}}"):
        assert flat(payload) in body, payload
    from reports.typeset.theme import ROOT

    assert all(u.startswith((ROOT / "fonts").as_uri()) or u.startswith("data:")
               for u in fetched), fetched
    assert PdfReader(str(h.files[0])).attachments == {}


def test_fetcher_refuses_symlinks_and_dot_dot_out_of_its_roots(tmp_path, caplog):
    from reports.typeset.render import FetchRefused, RestrictedFetcher

    assets = tmp_path / "data" / "assets"
    assets.mkdir(parents=True)
    (assets / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (tmp_path / "secret.txt").write_text("secret")
    (assets / "link.txt").symlink_to(tmp_path / "secret.txt")
    (assets / "etc").symlink_to("/etc")
    fetcher = RestrictedFetcher([assets])
    assert fetcher.fetch((assets / "logo.svg").as_uri()).read().startswith(b"<svg")
    refused = [(assets / "link.txt").as_uri(), (assets / "etc" / "passwd").as_uri(),
               (assets / ".." / ".." / "secret.txt").as_uri(),
               "file://localhost/etc/passwd", "file://evil.example/etc/passwd",
               "http://169.254.169.254/latest/meta-data/", "gopher://x/", "javascript:alert(1)"]
    with caplog.at_level("ERROR", logger="reports.render"):
        for url in refused:
            with pytest.raises(FetchRefused):
                fetcher.fetch(url)
    assert fetcher.refused == refused
    assert sum("拒绝读取" in r.getMessage() for r in caplog.records) == len(refused)


@pytest.mark.parametrize("engine", ["reportlab", "weasyprint"])
def test_ledger_row_limit_lists_the_largest_and_says_so(tmp_path, engine):
    config = SMALL_CONFIG.replace('rounding = "half-up"', 'rounding = "half-up"\nledger_max_rows = 2')
    folder = write_dataset(tmp_path / "d", config=config)
    result = build(folder, Period(2025, 3), tmp_path / "out", engine=engine)
    ledger = flat(text(result.pdf, result.pages - 1, result.pages))
    # 1-3月 2025: P3 3亿, P4 2500万, P5 12345.67万 — the two largest are listed
    assert "西宁储能项目" in ledger and "海东铜箔项目" in ledger
    assert "海西旅游项目" not in ledger
    assert "合计（全部3个项目）" in ledger
    assert "本期签约项目共3个，附表列出签约金额最大的2个，合计为全部项目之和" in ledger


# The timer may fire inside a gc callback (hypothesis installs one), where Python only reports
# the exception; limits.deadline then fires again until it gets through — what is tested here.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_timeout_stops_a_build_and_writes_nothing(small_data, tmp_path, capsys):
    from reports.cli import main

    out = tmp_path / "out"
    out.mkdir()
    (out / "测试简报-2025年03月.pdf").write_bytes(b"%PDF- earlier")
    code = main(["build", "--data", str(small_data), "--period", "2025-03", "--out", str(out),
                 "--timeout", "0.05"])
    err = capsys.readouterr().err
    assert code == 1
    assert "生成简报超过 0.05 秒，已停止（--timeout）；未写出任何文件" in err
    assert (out / "测试简报-2025年03月.pdf").read_bytes() == b"%PDF- earlier"
    assert [p.name for p in out.iterdir()] == ["测试简报-2025年03月.pdf"]
    assert main(["build", "--data", str(small_data), "--period", "2025-03", "--out", str(out),
                 "--timeout", "120"]) == 0
    with pytest.raises(SystemExit) as info:
        main(["build", "--data", str(small_data), "--timeout", "-1"])
    assert info.value.code == 2


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_timeout_in_a_delegation_batch_stops_only_that_one(tmp_path, capsys):
    from conftest import SAMPLE

    from reports.cli import main

    code = main(["delegations", str(SAMPLE / "delegations" / "德国商会代表团.yaml"), "--data",
                 str(SAMPLE), "--out", str(tmp_path), "--timeout", "0.01"])
    assert code == 1
    assert "德国商会代表团.yaml 的生成超过 0.01 秒" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
