"""deploy/: the commands the systemd units and the crontab run are commands this tool has, with
arguments it accepts; the units name each other correctly."""

from __future__ import annotations

import configparser
import shlex
from pathlib import Path

import pytest

from reports.cli import build_parser

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str
    parser.read_string((DEPLOY / name).read_text(encoding="utf-8"))
    return parser


def arguments(command: str) -> list[str]:
    words = shlex.split(command)
    assert words[0].endswith("/.venv/bin/report"), words[0]
    return words[1:]


def test_units_run_real_commands():
    for name in ("report-monthly.service", "report-monthly-failure.service"):
        args = arguments(unit(name)["Service"]["ExecStart"])
        build_parser().parse_args(args)  # SystemExit on an unknown command or flag


def test_units_name_each_other_and_tolerate_refusals():
    service = unit("report-monthly.service")
    assert service["Unit"]["OnFailure"] == "report-monthly-failure.service"
    assert (DEPLOY / service["Unit"]["OnFailure"]).is_file()
    assert set(service["Service"]["SuccessExitStatus"].split()) == {"2", "3"}
    assert "--timeout" in service["Service"]["ExecStart"] and service["Service"]["TimeoutStartSec"]
    assert service["Service"]["User"] == "reports"
    archive = arguments(service["Service"]["ExecStart"])
    assert archive[archive.index("--archive") + 1] in service["Service"]["ReadWritePaths"]
    assert unit("report-monthly.timer")["Timer"]["OnCalendar"] == "*-*-01..05 06:00:00"


def test_crontab_keeps_output_and_runs_a_real_command():
    line = next(x for x in (DEPLOY / "crontab").read_text(encoding="utf-8").splitlines()
                if x and not x.startswith("#") and not x.startswith("MAILTO"))
    assert ">/dev/null" not in line
    command = line.split(None, 5)[5].split("&&", 1)[1].strip()
    words = shlex.split(command)
    assert words[0] == ".venv/bin/report"
    build_parser().parse_args(words[1:])


def test_systemd_accepts_the_units(tmp_path):
    """systemd's own check of the unit files, with the tool's path pointed at this checkout."""
    import shutil
    import subprocess
    import sys

    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    venv = Path(sys.executable).parent.parent
    names = ["report-monthly.service", "report-monthly.timer", "report-monthly-failure.service",
             "report-web.service"]
    for name in names:
        text = (DEPLOY / name).read_text(encoding="utf-8")
        (tmp_path / name).write_text(text.replace("/opt/reports/.venv", str(venv)),
                                     encoding="utf-8")
    done = subprocess.run([analyze, "verify", "--man=no", *names], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stderr.strip() == "", done.stderr


def test_the_web_unit_serves_loopback_behind_the_proxy():
    service = unit("report-web.service")
    args = build_parser().parse_args(arguments(service["Service"]["ExecStart"]))
    assert args.command == "serve" and args.host == "127.0.0.1" and args.behind_proxy
    assert not args.insecure_http
    writable = service["Service"]["ReadWritePaths"].split()
    assert str(args.data) in writable and str(args.archive) in writable
    assert service["Service"]["User"] == "reports"
    conf = (DEPLOY / "nginx-report.conf").read_text(encoding="utf-8")
    assert f"proxy_pass http://127.0.0.1:{args.port};" in conf


@pytest.mark.web
def test_nginx_forwards_https_to_the_page(tmp_path):
    """The documented nginx site, as written (only its ports, certificate and upstream port
    changed), in front of ``report serve --behind-proxy``: plain HTTP is sent to HTTPS, the
    page answers over TLS with its own security headers and HSTS, and the address the login
    limit counts is the connection's, not one a browser claims in X-Forwarded-For."""
    import re
    import shutil
    import socket
    import sqlite3
    import ssl
    import subprocess
    import sys
    import time
    import http.client
    import urllib.parse

    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    assert Path(nginx).exists(), "nginx is missing: `make test` installs it (apt-get)"

    def free_port() -> int:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]

    http_port, https_port, app_port = free_port(), free_port(), free_port()
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=localhost", "-keyout", str(tmp_path / "key.pem"),
                    "-out", str(tmp_path / "cert.pem")], check=True, capture_output=True)
    site = "\n".join(x for x in (DEPLOY / "nginx-report.conf").read_text(encoding="utf-8")
                     .splitlines() if not x.startswith("#"))
    site = (site.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
            .replace("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;")
            .replace("/etc/ssl/certs/report.pem", str(tmp_path / "cert.pem"))
            .replace("/etc/ssl/private/report.key", str(tmp_path / "key.pem"))
            .replace("127.0.0.1:8080", f"127.0.0.1:{app_port}"))
    site = "\n".join(x for x in site.splitlines() if "[::]" not in x)
    assert site.count(str(tmp_path)) == 2 and str(app_port) in site
    (tmp_path / "logs").mkdir()
    (tmp_path / "nginx.conf").write_text(f"""
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/logs/error.log;
events {{ worker_connections 64; }}
http {{
    access_log {tmp_path}/logs/access.log;
    client_body_temp_path {tmp_path}/body; proxy_temp_path {tmp_path}/proxy;
    fastcgi_temp_path {tmp_path}/fastcgi; uwsgi_temp_path {tmp_path}/uwsgi;
    scgi_temp_path {tmp_path}/scgi;
{site}
}}
""", encoding="utf-8")
    data, archive = tmp_path / "data", tmp_path / "archive"
    shutil.copytree(Path(__file__).resolve().parent.parent / "data", data,
                    ignore=shutil.ignore_patterns("excel"))
    report = [sys.executable, "-m", "reports"]
    subprocess.run([*report, "users", "--archive", str(archive), "add", "小王"],
                   input="correct horse battery\n", text=True, check=True, capture_output=True)
    check = subprocess.run([nginx, "-t", "-q", "-p", str(tmp_path), "-c",
                            str(tmp_path / "nginx.conf")], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    app = subprocess.Popen([*report, "serve", "--data", str(data), "--archive", str(archive),
                            "--port", str(app_port), "--behind-proxy"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    proxy = subprocess.Popen([nginx, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"),
                              "-g", "daemon off;"], stderr=subprocess.PIPE)
    tls = ssl.create_default_context(cafile=str(tmp_path / "cert.pem"))
    tls.check_hostname = False

    def get(path, method="GET", body=None, headers=None, secure=True):
        conn = (http.client.HTTPSConnection("127.0.0.1", https_port, context=tls, timeout=10)
                if secure else http.client.HTTPConnection("127.0.0.1", http_port, timeout=10))
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        return r.status, dict(r.getheaders()), r.read().decode("utf-8", "replace")

    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, headers, page = get("/login")
                if status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or app.poll() is not None or proxy.poll() is not None:
                pytest.fail("nginx or report serve did not start: "
                            + (proxy.stderr.read().decode() if proxy.poll() is not None else ""))
            time.sleep(0.3)
        assert "登录" in page
        assert headers["Strict-Transport-Security"] == "max-age=31536000"
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert headers["Server"] == "nginx"  # server_tokens off: no version
        status, headers, _ = get("/login", secure=False)
        assert status == 301 and headers["Location"].startswith("https://")
        # a wrong password, from a browser claiming to be elsewhere
        status, headers, page = get("/login")
        token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
        set_cookie = headers["set-cookie"]
        assert "Secure" in set_cookie and "HttpOnly" in set_cookie
        body = urllib.parse.urlencode({"name": "小王", "password": "wrong", "csrf": token})
        status, _, page = get("/login", "POST", body, {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": set_cookie.split(";", 1)[0], "X-Forwarded-For": "203.0.113.9"})
        assert status == 401 and "用户名或密码错误" in page
    finally:
        proxy.terminate()
        app.terminate()
        proxy.wait(10)
        app.wait(10)
    with sqlite3.connect(archive / "web" / "web.sqlite3") as db:
        addresses = {row[0] for row in db.execute("SELECT address FROM login_failures")}
    assert addresses == {"127.0.0.1"}
