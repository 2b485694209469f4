"""The staff web page (issue 19), route by route (Starlette's test client): logging in and its
limits, CSRF on every form, roles, uploads checked with the rules of report validate and
shown by sheet, row and column, uploads that are not what they say, paths a request may not
reach, the preview, adopting, issuing a month as report monthly does, the delegation form,
the audit log, the accounts command. The browser tests are tests/test_web_e2e.py."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from starlette.testclient import TestClient

from reports.cli import main
from reports.web.app import create_app
from reports.web.store import LOGIN_LIMIT, Store, db_path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data"
WORKBOOK = next((SAMPLE / "excel").glob("*.xlsx"))
PASSWORD = "correct horse battery"

pytestmark = pytest.mark.web


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    base = tmp_path_factory.mktemp("web")
    shutil.copytree(SAMPLE, base / "data", ignore=shutil.ignore_patterns("excel"))
    store = Store(db_path(base / "archive"))
    store.add_user("管理员", "admin", PASSWORD)
    store.add_user("小王", "staff", PASSWORD)
    app = create_app(base / "data", base / "archive", store, secure_cookies=False)
    return base, app, store


def client(app, name: str | None = None) -> tuple[TestClient, str]:
    """A browser; logged in as ``name`` (its CSRF token) unless None."""
    c = TestClient(app)
    if name is None:
        return c, ""
    page = c.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    r = c.post("/login", data={"name": name, "password": PASSWORD, "csrf": token},
               follow_redirects=False)
    assert r.status_code == 303, r.text
    return c, re.search(r'name="csrf" value="([^"]+)"', c.get("/").text).group(1)


def planted(tmp_path: Path) -> Path:
    """The sample workbook with one wrong amount: 签约项目 row 5, 签约金额 "三亿".
    The workbook keeps its 签约金额 column where the header says."""
    wb = openpyxl.load_workbook(WORKBOOK)
    ws = wb["签约项目"]
    header = [c.value for c in ws[1]]
    column = next(i for i, h in enumerate(header, 1) if str(h).startswith("签约金额"))
    ws.cell(5, column, "三亿")
    path = tmp_path / "台账-有错.xlsx"
    wb.save(path)
    return path


def upload(c: TestClient, csrf: str, *paths: Path, names=None):
    files = [("files", ((names or {}).get(p, p.name), p.read_bytes(),
                        "application/octet-stream")) for p in paths]
    return c.post("/upload", data={"csrf": csrf}, files=files, follow_redirects=False)


def finished(app, c: TestClient, location: str):
    assert app.state.runner.idle(240)
    return c.get(location)


# -- logging in ------------------------------------------------------------------------------
def test_pages_need_a_login(site):
    base, app, _ = site
    c, _ = client(app)
    r = c.get("/", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login"
    assert c.get("/archive", follow_redirects=False).headers["location"] == "/login"
    r = c.post("/upload", files=[("files", ("a.xlsx", WORKBOOK.read_bytes(), "x"))])
    assert r.status_code == 401 and "请先登录" in r.text
    assert not (base / "data" / ".web" / "uploads").exists() or \
        not any((base / "data" / ".web" / "uploads").iterdir())


def test_security_headers_on_every_page(site):
    _, app, _ = site
    c, _ = client(app)
    r = c.get("/login")
    assert "default-src 'self'" in r.headers["content-security-policy"]
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["cache-control"] == "no-store"
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
    # refusals too, in Chinese, with the same headers
    for r in (c.get("/no/such/page"), c.get("/logout")):
        assert r.status_code in (404, 405) and "x-frame-options" in r.headers
        assert "没有这个页面" in r.text or "不能这样访问这个页面" in r.text
    # the bundled font for a browser without a Chinese one: cached, unlike the pages
    r = c.get("/static/NotoSansSC-Regular.ttf")
    assert r.status_code == 200 and r.content[:4] == b"\x00\x01\x00\x00"
    assert "max-age" in r.headers["cache-control"]
    assert c.get("/static/..%2Fconfig.toml").status_code == 404


def test_wrong_password_then_a_pause(tmp_path):
    store = Store(db_path(tmp_path / "archive"))
    store.add_user("甲", "staff", PASSWORD)
    app = create_app(SAMPLE, tmp_path / "archive", store, secure_cookies=False)
    c, _ = client(app)
    token = re.search(r'name="csrf" value="([^"]+)"', c.get("/login").text).group(1)
    for _ in range(LOGIN_LIMIT):
        r = c.post("/login", data={"name": "甲", "password": "wrong", "csrf": token})
        assert r.status_code == 401 and "用户名或密码错误" in r.text
    r = c.post("/login", data={"name": "甲", "password": PASSWORD, "csrf": token})
    assert r.status_code == 429 and "15分钟后再试" in r.text  # even the right password now
    assert ("甲", "登录") in [(u, a) for _, u, a, _, _ in store.audit_log()]


def test_a_login_form_without_its_token_is_refused(site):
    _, app, _ = site
    c, _ = client(app)
    r = c.post("/login", data={"name": "管理员", "password": PASSWORD})
    assert r.status_code == 403 and "CSRF" in r.text


def test_every_form_needs_its_csrf_token(site):
    _, app, _ = site
    c, csrf = client(app, "管理员")
    for url, data in (("/upload", {}), ("/archive/issue", {"period": "2026-10"}),
                      ("/delegations", {"name": "甲团"}), ("/logout", {})):
        assert c.post(url, data=data).status_code == 403, url
        assert c.post(url, data={**data, "csrf": "forged"}).status_code == 403, url
    assert c.get("/", follow_redirects=False).status_code == 200  # still logged in


# -- uploads ---------------------------------------------------------------------------------
def test_a_planted_error_is_shown_by_sheet_row_and_column(site, tmp_path):
    _, app, _ = site
    c, csrf = client(app, "小王")
    r = upload(c, csrf, planted(tmp_path))
    assert r.status_code == 303
    page = finished(app, c, r.headers["location"])
    table = page.text[page.text.index('id="errors"'):]
    row = re.search(r"<tr><td>台账-有错\.xlsx</td><td>签约项目</td><td class=\"num\">5</td>"
                    r"<td>(签约金额[^<]*)</td><td>三亿</td><td>([^<]+)</td></tr>", table)
    assert row, table[:2000]
    assert "生成预览" not in page.text  # nothing to preview while it is wrong


def test_the_sample_workbook_checks_previews_and_downloads(site, tmp_path):
    base, app, store = site
    c, csrf = client(app, "小王")
    r = upload(c, csrf, WORKBOOK)
    page = finished(app, c, r.headers["location"])
    assert "数据无误（签约项目376行" in page.text and "生成预览" in page.text
    assert "设为当前数据" not in page.text  # staff may not
    upload_id = r.headers["location"].split("/")[2].split("?")[0]
    r = c.post(f"/uploads/{upload_id}/preview", data={"csrf": csrf, "period": "2026-10"},
               follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/jobs/")
    job = finished(app, c, r.headers["location"])
    assert "完成" in job.text
    page = c.get(f"/uploads/{upload_id}/preview")
    assert page.text.count("<img ") == 12
    assert "<dt>签约金额</dt><dd>2307.75亿元</dd>" in page.text
    pdfs = re.findall(r'href="(/uploads/[^"]+\.pdf)"', page.text)
    assert len(pdfs) == 2 and any("印刷版" in p for p in pdfs)
    pdf = c.get([p for p in pdfs if "印刷版" not in p][0])
    assert pdf.headers["content-type"] == "application/pdf"
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf.content, capture_output=True).stdout
    assert "2307.75亿元" in text.decode()
    word = c.get(re.search(r'href="(/uploads/[^"]+\.docx)"', page.text).group(1))
    assert word.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in word.headers["content-disposition"] and word.content[:2] == b"PK"
    ofd = c.get(re.search(r'href="(/uploads/[^"]+\.ofd)"', page.text).group(1))
    assert ofd.headers["content-type"] == "application/ofd" and b"OFD.xml" in ofd.content[:200]
    assert "（Word，可编辑）" in page.text and "（OFD 版式文件）" in page.text
    image = c.get(re.search(r'src="(/uploads/[^"]+/files/page-001\.png)"', page.text).group(1))
    assert image.headers["content-type"] == "image/png" and image.content[:4] == b"\x89PNG"
    actions = [a for _, u, a, _, _ in store.audit_log() if u == "小王"]
    assert "上传" in actions and "预览" in actions


def test_uploads_that_are_not_what_they_say(site, tmp_path):
    _, app, _ = site
    c, csrf = client(app, "小王")
    fake = tmp_path / "台账.xlsx"
    fake.write_bytes(b"<html>not a workbook</html>")
    r = upload(c, csrf, fake)
    assert r.status_code == 400 and "不是有效的 .xlsx 工作簿" in r.text
    script = tmp_path / "run.sh"
    script.write_bytes(b"#!/bin/sh\nrm -rf /\n")
    r = upload(c, csrf, script)
    assert r.status_code == 400 and "不是 Excel 工作簿" in r.text
    # a path in the file name is reduced to a name of the upload's own
    r = upload(c, csrf, WORKBOOK, names={WORKBOOK: "../../../etc/config.toml.xlsx"})
    assert r.status_code == 303
    upload_id = r.headers["location"].split("/")[2].split("?")[0]
    folder = site[0] / "data" / ".web" / "uploads" / upload_id
    assert (folder / "configtoml.xlsx").is_file()
    assert not (site[0] / "etc").exists()


def test_a_body_over_the_limit_is_refused_before_it_is_read(site):
    from reports.web.guard import MAX_BODY

    _, app, _ = site
    c, csrf = client(app, "小王")
    r = c.post("/upload", content=b"x" * 10, headers={"content-length": str(MAX_BODY + 1),
                                                       "content-type": "multipart/form-data"})
    assert r.status_code == 413


def test_no_path_from_a_request_reaches_the_file_system(site):
    _, app, _ = site
    c, _ = client(app, "小王")
    for url in ("/uploads/../../config.toml", "/uploads/20260101-000000-deadbeef",
                "/uploads/x/files/config.toml", "/static/../app.py", "/static/login.html",
                "/archive/2026/10/..%2F..%2Fconfig.pdf", "/handouts/../x/config.toml",
                "/jobs/../../etc/passwd"):
        r = c.get(url)
        assert r.status_code in (404, 405), (url, r.status_code)
        assert "[province]" not in r.text and "root:" not in r.text


# -- roles, adopting, issuing ----------------------------------------------------------------
def test_staff_may_not_adopt_or_issue(site):
    _, app, _ = site
    c, csrf = client(app, "小王")
    assert c.post("/archive/issue", data={"csrf": csrf, "period": "2026-10"}).status_code == 403
    assert c.get("/audit").status_code == 403


def test_admin_adopts_an_upload_then_issues_the_month(site):
    base, app, store = site
    c, csrf = client(app, "管理员")
    r = upload(c, csrf, WORKBOOK)
    page = finished(app, c, r.headers["location"])
    upload_id = r.headers["location"].split("/")[2].split("?")[0]
    assert "设为当前数据" in page.text
    r = c.post(f"/uploads/{upload_id}/adopt", data={"csrf": csrf}, follow_redirects=False)
    finished(app, c, r.headers["location"])
    data = base / "data"
    assert (data / WORKBOOK.name).is_file()  # the upload's workbook is the data now
    assert not (data / "签约项目.csv").exists()  # the old tables moved aside, kept
    assert (data / ".web" / "replaced" / upload_id / "签约项目.csv").is_file()
    assert main(["validate", "--data", str(data), "--delegations"]) == 0
    config = data / "config.toml"  # the bureau asks for Word and OFD copies of each issue
    config.write_text(config.read_text(encoding="utf-8").replace("# formats = [", "formats = ["),
                      encoding="utf-8")
    r = c.post("/archive/issue", data={"csrf": csrf, "period": "2026-10", "allow_late": "1"},
               follow_redirects=False)
    job = finished(app, c, r.headers["location"])
    assert "完成" in job.text, job.text
    assert (base / "archive" / "2026" / "10" / "全省.pdf").is_file()
    page = c.get("/archive")
    assert "第10期" in page.text and "管理员" in page.text
    pdf = c.get("/archive/2026/10/全省.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert 'href="/archive/2026/10/全省.docx">Word</a>' in page.text
    word = c.get("/archive/2026/10/全省.docx")
    assert word.status_code == 200 and word.content[:2] == b"PK"
    assert c.get("/archive/2026/10/全省.ofd").headers["content-type"] == "application/ofd"
    assert c.get("/archive/2026/10/没有这个任务.docx").status_code == 404
    # the same month again: up to date, as report monthly says
    r = c.post("/archive/issue", data={"csrf": csrf, "period": "2026-10", "allow_late": "1"},
               follow_redirects=False)
    assert "完成" in finished(app, c, r.headers["location"]).text
    log = c.get("/audit").text
    assert "设为当前数据" in log and "发布" in log


# -- delegations -----------------------------------------------------------------------------
def test_the_delegation_form_writes_the_file_and_makes_the_handout(site):
    base, app, _ = site
    c, csrf = client(app, "小王")
    form = {"csrf": csrf, "name": "甘肃企业家考察团", "visit_date": "2026-12-20", "home": "甘肃",
            "industries": ["新能源", "大数据"], "language": "zh", "copies": "2",
            "contact": "韩雪", "phone": "0971-6300019"}
    r = c.post("/delegations", data=form, follow_redirects=False)
    assert r.status_code == 303
    job = finished(app, c, r.headers["location"])
    assert "完成" in job.text, job.text
    written = base / "data" / "delegations" / "甘肃企业家考察团.yaml"
    assert "来源地: 甘肃" in written.read_text(encoding="utf-8")
    page = c.get("/delegations")
    links = re.findall(r'href="(/handouts/[^"]+)"', page.text)
    assert len(links) >= 3  # two numbered copies and the printer's file
    pdf = c.get(links[0])
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # a mistake comes back to the form, in Chinese, and nothing is written
    bad = dict(form, name="火星代表团", home="火星国")
    r = c.post("/delegations", data=bad)
    assert r.status_code == 400 and "不是已知的省份或国家名称" in r.text
    assert not (base / "data" / "delegations" / "火星代表团.yaml").exists()


def test_the_template_downloads(site):
    _, app, _ = site
    c, _ = client(app, "小王")
    r = c.get("/template.xlsx")
    assert r.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    assert "代表团" in wb.sheetnames and "签约项目" in wb.sheetnames


# -- the command line ------------------------------------------------------------------------
def test_users_command(tmp_path, capsys):
    archive = tmp_path / "archive"
    cmd = [sys.executable, "-m", "reports", "users", "--archive", str(archive)]
    r = subprocess.run([*cmd, "add", "李四", "--role", "admin"], input="short\n",
                       capture_output=True, text=True)
    assert r.returncode == 2 and "密码至少10个字符" in r.stderr
    r = subprocess.run([*cmd, "add", "李四", "--role", "admin"], input=PASSWORD + "\n",
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    listed = subprocess.run([*cmd, "list"], capture_output=True, text=True).stdout
    assert "李四\t管理员" in listed
    store = Store(db_path(archive))
    assert store.check_password("李四", PASSWORD, "test").admin
    stored = store.connect
    with stored() as db:
        hashed = db.execute("SELECT hash FROM users").fetchone()[0]
    assert hashed.startswith("$argon2id$") and PASSWORD not in hashed
    assert subprocess.run([*cmd, "remove", "李四"], capture_output=True).returncode == 0
    assert store.check_password("李四", PASSWORD, "test") is None


def test_serve_refuses_an_open_address_without_tls(capsys):
    assert main(["serve", "--data", str(SAMPLE), "--host", "0.0.0.0"]) == 2
    assert "没有 TLS" in capsys.readouterr().err


def test_one_job_at_a_time_for_the_data_folder(tmp_path):
    """A job waits while another holds the data folder's job lock (a second server's build)."""
    import fcntl
    import time

    from reports.web.jobs import Outcome, Runner, summary

    store = Store(db_path(tmp_path / "archive"))
    lock = tmp_path / "data" / ".web" / "jobs.lock"
    lock.parent.mkdir(parents=True)
    ran = []
    with open(lock, "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        runner = Runner(store, lock=lock)
        job = runner.submit("预览", "小王", "预览", lambda: ran.append(1) or Outcome(True, "好"))
        time.sleep(0.5)
        assert ran == [] and store.job(job)["state"] == "queued"
        fcntl.flock(held, fcntl.LOCK_UN)
    assert runner.idle(10) and ran == [1] and store.job(job)["state"] == "done"
    # a failed command is logged by what it warned of, not its progress lines and timestamps
    said = ("2026-12-06 08:43:13 INFO 开始：数据 /srv/data\n"
            "2026-12-06 08:43:13 WARNING 2026-11 全省：未印发，未占用期号：这个月没有任何数据")
    assert summary(said) == "2026-11 全省：未印发，未占用期号：这个月没有任何数据"
