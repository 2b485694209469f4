"""The staff web page in a real browser (issue 19): Playwright driving the Debian chromium
against ``report serve`` started as the operator starts it, on a free loopback port, with its
secure cookies. A staff member logs in, uploads a workbook with a planted error and sees it
named by sheet, row and column, uploads the corrected workbook, previews the briefing, and
downloads the PDF, whose text carries the figures ``report figures`` gives. Pages need a login;
a post without its CSRF token is refused. Run alone with ``make test-web``."""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from decimal import Decimal
from pathlib import Path

import pytest

from reports.figures.fmt import Formatter
from test_web import PASSWORD, SAMPLE, WORKBOOK, planted

pytestmark = pytest.mark.web

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``report serve`` on a loopback port, with one staff account made by ``report users``."""
    base = tmp_path_factory.mktemp("e2e")
    data, archive = base / "data", base / "archive"
    shutil.copytree(SAMPLE, data, ignore=shutil.ignore_patterns("excel"))
    report = [sys.executable, "-m", "reports"]
    made = subprocess.run([*report, "users", "--archive", str(archive), "add", "小王"],
                          input=PASSWORD + "\n", capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    port = _free_port()
    log = (base / "serve.log").open("w")
    proc = subprocess.Popen([*report, "serve", "--data", str(data), "--archive", str(archive),
                             "--port", str(port)], stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url + "/login", timeout=2).read()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail("report serve did not start:\n" + (base / "serve.log").read_text())
            time.sleep(0.2)
    yield url, base
    proc.terminate()
    proc.wait(10)
    log.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "chromium is missing: `make test` installs it (apt-get)"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(accept_downloads=True, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(180_000)  # a preview is two builds on a slow machine
    yield page
    context.close()


def wait_for(page, selector: str, base: Path) -> None:
    """Wait for ``selector``; if it never comes, fail with what the page and the server said."""
    from playwright.sync_api import TimeoutError

    try:
        page.wait_for_selector(selector)
    except TimeoutError:
        log = (base / "serve.log").read_text(errors="replace")[-3000:]
        pytest.fail(f"{selector} never appeared on {page.url}:\n{page.inner_text('main')}\n"
                    f"-- report serve --\n{log}")


def log_in(page, url: str) -> None:
    page.goto(url + "/")
    assert page.url.endswith("/login?next=/") or "/login" in page.url
    page.fill("input[name=name]", "小王")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(url + "/")
    assert "小王" in page.inner_text("header")


def test_without_a_login_every_page_leads_to_the_login_form(server, page):
    url, _ = server
    for path in ("/", "/upload", "/archive", "/delegations"):
        page.goto(url + path)
        assert "/login" in page.url, path
        assert page.locator("input[name=password]").count() == 1
    # and an upload posted without a session does nothing
    status = page.evaluate("""async () => {
        const body = new FormData();
        body.append("files", new Blob(["x"]), "台账.csv");
        return (await fetch("/upload", {method: "POST", body})).status;
    }""")
    assert status in (401, 403)


def test_from_a_planted_error_to_the_downloaded_briefing(server, page, tmp_path):
    url, base = server
    log_in(page, url)

    # the workbook with one wrong cell: named by sheet, row, column and value
    page.click("a[href='/upload']")
    page.set_input_files("input[type=file]", str(planted(tmp_path)))
    page.click("main button[type=submit]")
    wait_for(page, "#errors", base)  # the page polled the check, then showed its result
    assert "请在 Excel 中改正后重新上传" in page.inner_text("[role=alert]")
    cells = [[c.strip() for c in row.split("\t")]
             for row in page.inner_text("#errors tbody").splitlines()]
    wrong = [r for r in cells if "三亿" in r]
    assert len(wrong) == 1, cells
    assert wrong[0][1] == "签约项目" and wrong[0][2] == "5" and wrong[0][3].startswith("签约金额")
    assert page.locator("form[action$='/preview']").count() == 0  # no preview of wrong data

    # the corrected workbook: no errors, then the preview
    page.goto(url + "/upload")
    page.set_input_files("input[type=file]", str(WORKBOOK))
    page.click("main button[type=submit]")
    wait_for(page, "[role=status]", base)
    assert "数据无误" in page.inner_text("[role=status]")
    assert page.locator("#errors").count() == 0
    page.click("form[action$='/preview'] button")
    wait_for(page, ".preview .pages img", base)
    images = page.locator(".preview .pages img")
    count = images.count()
    assert count >= 8
    first = images.first
    first.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=first.element_handle())
    width, height = first.evaluate("img => [img.naturalWidth, img.naturalHeight]")
    assert abs(height / width - 297 / 210) < 0.01  # A4, drawn from the real PDF
    shown = dict(zip(page.locator("dl.figures dt").all_inner_texts(),
                     page.locator("dl.figures dd").all_inner_texts()))

    # the figures beside the pages are the ones report figures gives, as the briefing prints them
    raw = subprocess.run([sys.executable, "-m", "reports", "figures", "--data", str(SAMPLE),
                          "--json"], capture_output=True, text=True, check=True).stdout
    figures = json.loads(raw[raw.find("{"):])
    assert shown["签约项目"].startswith(figures["signed_projects"]["value"]), shown
    assert shown["签约金额"] == Formatter("zh_CN").amount(Decimal(figures["signed"]["value"]))
    assert shown["签约金额"].endswith("亿元"), shown

    # download the screen PDF and read its text
    links = page.locator("ul.downloads a")
    names = links.all_inner_texts()
    assert len(names) == 4 and "印刷版" not in names[0] and "印刷版" in names[1]
    assert names[2].endswith(".docx") and names[3].endswith(".ofd")  # Word and OFD copies
    with page.expect_download() as info:
        links.first.click()
    pdf = tmp_path / "download.pdf"
    info.value.save_as(pdf)
    assert pdf.read_bytes()[:5] == b"%PDF-"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "招商引资" in text
    assert shown["签约金额"].replace(" ", "") in text.replace(" ", "")
    pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert re.search(r"^Pages:\s+(\d+)$", pages.stdout, re.M).group(1) == str(count)

    # nothing of the upload left the data folder it belongs to
    uploads = base / "data" / ".web" / "uploads"
    assert len(list(uploads.iterdir())) == 2
    assert not (base / "data" / "out").exists()


def test_a_post_without_its_csrf_token_is_refused(server, page):
    url, _ = server
    log_in(page, url)
    status, body = page.evaluate("""async () => {
        const body = new FormData();
        body.append("files", new Blob(["项目名称\\n"]), "台账.csv");
        const r = await fetch("/upload", {method: "POST", body});
        return [r.status, await r.text()];
    }""")
    assert status == 403 and "CSRF" in body
    # the same form, token and all, goes through
    status = page.evaluate("""async () => {
        const body = new FormData();
        body.append("csrf", document.querySelector("input[name=csrf]")?.value
                    ?? (await (await fetch("/upload")).text()).match(/name="csrf" value="([^"]+)"/)[1]);
        body.append("files", new Blob(["x"]), "台账.csv");
        return (await fetch("/upload", {method: "POST", body, redirect: "manual"})).status;
    }""")
    assert status in (0, 303)  # a redirect to the upload's result (opaque to fetch)
    # and a log out ends the session: the pages lead to the login form again
    page.goto(url + "/")
    page.click("form[action='/logout'] button")
    page.goto(url + "/upload")
    assert "/login" in page.url
