"""``report serve``: the staff web page — from their workbook to the briefing without a terminal.

Starlette (ASGI) served by uvicorn; pages are our own Jinja templates (``templates/web/``, always
autoescaped), plain HTML with one small script that polls a job's progress. Everything in
Chinese. Staff log in; staff may upload, check and preview a ledger and make delegation
handouts; admins also adopt an upload as the data folder's, issue or reissue a month into the
archive, and read the audit log. Every form carries a CSRF token tied to the session; every
request that changes anything is a POST that must carry it. No path from a request reaches the
file system unchecked: uploads, jobs and archived briefings are named by ids this server made
or by the archive's own listing. A request body over ``MAX_BODY`` is refused before it is read.
"""

from __future__ import annotations

import logging
import re
import secrets
import time
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from ..typeset.templating import render_page
from . import uploads, work
from .guard import BodyLimit, Denied, SecurityHeaders
from .jobs import Runner
from .store import Session, Store, StoreError, db_path

log = logging.getLogger("reports.web")

COOKIE = "report_session"
LOGIN_COOKIE = "report_login"
STATIC = {"app.js": "text/javascript", "app.css": "text/css"}
# The bundled sans, for a browser without a Chinese font of its own (a Linux desktop, a kiosk):
# the style sheet names it after the system fonts, so a Windows PC never downloads it.
FONT = "NotoSansSC-Regular.ttf"
_PERIOD = re.compile(r"^(20\d\d)-(0[1-9]|1[0-2])$")
_JOB = re.compile(r"^\d{8}-\d{6}-[0-9a-f]{8}$")
def create_app(data: Path, archive: Path, store: Store | None = None, *,
               secure_cookies: bool = True, runner: Runner | None = None) -> Starlette:
    data, archive = Path(data).resolve(), Path(archive).resolve()
    store = store or Store(db_path(archive))
    store.abandon_jobs()
    runner = runner or Runner(store, lock=uploads.root(data) / "jobs.lock")

    # -- helpers -------------------------------------------------------------------------
    def session(request: Request) -> Session | None:
        return store.session(request.cookies.get(COOKIE))

    def page(request: Request, name: str, status: int = 200, **context) -> HTMLResponse:
        s = context.pop("s", None) or session(request)
        html = render_page(f"web/{name}", s=s, user=s.user if s else None,
                           csrf=s.csrf if s else "", path=request.url.path, **context)
        return HTMLResponse(html, status_code=status)

    async def form_of(request: Request, s: Session, files: bool = False):
        """The posted form, its CSRF token checked against the session's."""
        form = await request.form(max_files=uploads.MAX_FILES if files else 0, max_fields=50,
                                  max_part_size=64 * 1024)
        token = form.get("csrf") or request.headers.get("x-csrf-token") or ""
        if not isinstance(token, str) or not secrets.compare_digest(token, s.csrf):
            raise Denied(403, "表单已过期或来源不明（CSRF 校验未通过）：请刷新页面后重试")
        return form

    def need(request: Request, admin: bool = False) -> Session:
        s = session(request)
        if s is None:
            raise Denied(401, "请先登录")
        if admin and not s.user.admin:
            raise Denied(403, "只有管理员可以这样做")
        return s

    def address(request: Request) -> str:
        return request.client.host if request.client else "?"

    def job_page(job_id: str) -> RedirectResponse:
        return RedirectResponse(f"/jobs/{job_id}", status_code=303)

    # -- logging in ----------------------------------------------------------------------
    async def login(request: Request):
        if request.method == "GET":
            token = secrets.token_urlsafe(24)
            response = page(request, "login.html", login_csrf=token, error="")
            response.set_cookie(LOGIN_COOKIE, token, max_age=1800, httponly=True,
                                secure=secure_cookies, samesite="strict")
            return response
        form = await request.form(max_files=0, max_fields=10, max_part_size=4096)
        name, password = str(form.get("name", ""))[:80], str(form.get("password", ""))[:200]
        posted, cookie = str(form.get("csrf", "")), request.cookies.get(LOGIN_COOKIE, "")
        if not cookie or not secrets.compare_digest(posted, cookie):
            raise Denied(403, "登录表单已过期（CSRF 校验未通过）：请刷新页面后重试")
        if store.paused(name, address(request)):
            store.audit(name or "?", "登录", f"登录尝试过多，暂停（{address(request)}）", False)
            return page(request, "login.html", status=429, login_csrf=posted,
                        error="登录失败次数过多，请15分钟后再试")
        user = store.check_password(name, password, address(request))
        if user is None:
            store.audit(name or "?", "登录", f"用户名或密码错误（{address(request)}）", False)
            return page(request, "login.html", status=401, login_csrf=posted,
                        error="用户名或密码错误")
        token, _ = store.open_session(user)
        store.audit(user.name, "登录", address(request))
        response = RedirectResponse("/", status_code=303)
        response.set_cookie(COOKIE, token, max_age=8 * 3600, httponly=True,
                            secure=secure_cookies, samesite="strict")
        response.delete_cookie(LOGIN_COOKIE)
        return response

    async def logout(request: Request):
        s = need(request)
        await form_of(request, s)
        store.close_session(request.cookies.get(COOKIE))
        store.audit(s.user.name, "退出", "")
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(COOKIE)
        return response

    # -- pages ---------------------------------------------------------------------------
    async def index(request: Request):
        s = session(request)
        if s is None:
            return RedirectResponse("/login", status_code=303)
        listed = sorted((uploads.root(data) / "uploads").glob("*"), reverse=True)[:10] \
            if (uploads.root(data) / "uploads").is_dir() else []
        recent = [(p.name, uploads.uploaded(p)) for p in listed if uploads.valid_id(p.name)]
        return page(request, "index.html", s=s, uploads=recent, data=data.name,
                    log=store.audit_log(15))

    async def upload(request: Request):
        s = need(request)
        if request.method == "GET":
            return page(request, "upload.html", s=s, error="")
        form = await form_of(request, s, files=True)
        files = []
        for item in form.getlist("files"):
            if hasattr(item, "read"):
                content = await item.read(uploads.MAX_FILE + 1)
                files.append((item.filename or "", content))
        try:
            upload_id = uploads.create(data, [f for f in files if f[0] or f[1]])
        except uploads.UploadError as exc:
            return page(request, "upload.html", s=s, status=400, error=str(exc))
        folder = uploads.folder(data, upload_id)
        names = "、".join(uploads.uploaded(folder))
        store.audit(s.user.name, "上传", f"{upload_id}：{names}")
        job = runner.submit("检查", s.user.name, f"检查上传 {upload_id}（{names}）",
                            lambda: work.check(folder))
        return RedirectResponse(f"/uploads/{upload_id}?job={job}", status_code=303)

    def _job(job_id: str | None) -> dict | None:
        return store.job(job_id) if job_id and _JOB.match(job_id) else None

    def upload_of(request: Request) -> tuple[str, Path]:
        """The upload a URL names (an id this server made) and its folder; else 404."""
        upload_id = request.path_params["upload_id"]
        try:
            return upload_id, uploads.folder(data, upload_id)
        except uploads.UploadError as exc:
            raise Denied(404, str(exc))

    def _checked(folder: Path) -> dict | None:
        """The latest finished check of an upload."""
        marker = folder / ".checked"
        job = _job(marker.read_text().strip()) if marker.is_file() else None
        return job

    async def upload_result(request: Request):
        s = need(request)
        upload_id, folder = upload_of(request)
        job = _job(request.query_params.get("job"))
        if job is not None and job["kind"] == "检查" and upload_id in job["title"]:
            (folder / ".checked").write_text(job["id"])
        else:
            job = _checked(folder)
        result = _result(job)
        previewed = (folder / "out" / "pages").is_dir()
        return page(request, "upload_result.html", s=s, upload_id=upload_id, job=job,
                    result=result, files=uploads.uploaded(folder), previewed=previewed,
                    adopted=(uploads.root(data) / "replaced" / upload_id).is_dir())

    async def upload_action(request: Request):
        action = request.path_params["action"]
        s = need(request, admin=action == "adopt")
        form = await form_of(request, s)
        upload_id, folder = upload_of(request)
        if action == "preview":
            period = str(form.get("period", "")).strip()
            if period and not _PERIOD.match(period):
                raise Denied(400, "期间应写作 2026-10")
            store.audit(s.user.name, "预览", f"{upload_id}{' ' + period if period else ''}")
            job = runner.submit("预览", s.user.name, f"生成预览 {upload_id}",
                                lambda: work.preview(folder, period or None))
            return RedirectResponse(f"/jobs/{job}?next=/uploads/{upload_id}/preview",
                                    status_code=303)
        if action == "adopt":
            store.audit(s.user.name, "设为当前数据", upload_id)
            job = runner.submit("设为当前数据", s.user.name, f"设为当前数据 {upload_id}",
                                lambda: work.adopt(data, upload_id))
            return job_page(job)
        raise Denied(404, "没有这个操作")

    async def preview_page(request: Request):
        s = need(request)
        upload_id, folder = upload_of(request)
        out = folder / "out"
        pdfs = sorted((p.name for p in out.glob("*.pdf")), key=lambda n: ("印刷版" in n, n)) \
            if out.is_dir() else []
        office = sorted(p.name for p in out.glob("*") if p.suffix in work.OFFICE) \
            if out.is_dir() else []
        pages = sorted(p.name for p in (out / "pages").glob("page-*.png")) \
            if (out / "pages").is_dir() else []
        figures = _figures(folder)
        return page(request, "preview.html", s=s, upload_id=upload_id, pdfs=pdfs + office,
                    pages=pages, figures=figures)

    def _figures(folder: Path) -> list:
        marker = folder / "out" / "figures.json"
        if marker.is_file():
            import json

            return json.loads(marker.read_text(encoding="utf-8"))
        return []

    async def upload_file(request: Request):
        need(request)
        name = request.path_params["name"]
        _, folder = upload_of(request)
        out = folder / "out"
        allowed = {p.name: p for p in out.glob("*") if p.suffix == ".pdf" or
                   p.suffix in work.OFFICE} if out.is_dir() else {}
        if (out / "pages").is_dir():
            allowed.update({p.name: p for p in (out / "pages").glob("page-*.png")})
        if name not in allowed:
            raise Denied(404, "没有这个文件")
        path = allowed[name]
        media = {".pdf": "application/pdf", ".png": "image/png", **work.OFFICE}[path.suffix]
        download = path.suffix != ".png"
        return FileResponse(path, media_type=media, filename=name if download else None,
                            content_disposition_type="attachment" if download else "inline")

    async def template_download(request: Request):
        need(request)
        from ..data.config import load_config
        from ..data.template import template_workbook

        body = template_workbook(load_config(data, assets=False))
        return Response(body, media_type="application/vnd.openxmlformats-officedocument."
                        "spreadsheetml.sheet", headers={
                            "Content-Disposition": "attachment; filename*=UTF-8''"
                            "%E5%8F%B0%E8%B4%A6%E6%A8%A1%E6%9D%BF.xlsx"})

    async def archive_page(request: Request):
        s = need(request)
        from ..products.archive import Archive

        entries = list(Archive(archive).entries()) if archive.is_dir() else []
        issued_by = {}
        for at, user, _action, detail, ok in reversed(store.audit_log(2000, "发布")):
            if ok:
                issued_by[detail.split("：")[0]] = (user, at)
        return page(request, "archive.html", s=s, entries=entries, issued_by=issued_by,
                    default_period=_last_month())

    async def archive_issue(request: Request):
        s = need(request, admin=True)
        form = await form_of(request, s)
        period = str(form.get("period", "")).strip()
        if not _PERIOD.match(period):
            raise Denied(400, "期间应写作 2026-10")
        reissue, late = form.get("reissue") == "1", form.get("allow_late") == "1"
        what = f"{period}{'（重新印发）' if reissue else ''}"
        store.audit(s.user.name, "提交发布", what)
        job = runner.submit("发布", s.user.name, f"{period}：发布{'（重新印发）' if reissue else ''}",
                            lambda: work.issue(data, archive, period, reissue, late))
        return job_page(job)

    async def archive_file(request: Request):
        need(request)
        from ..products.archive import Archive

        year, month, job = (request.path_params[k] for k in ("year", "month", "job"))
        suffix = Path(request.url.path).suffix  # .pdf, or a Word / OFD copy the manifest lists
        store_ = Archive(archive) if archive.is_dir() else None
        for period, name, entry in (store_.entries() if store_ else []):
            if (f"{period.year}", f"{period.month:02d}", name) == (year, month, job):
                if suffix != ".pdf" and f"{name}{suffix}" not in entry.get("extras", {}):
                    break
                path = store_.month_dir(period) / f"{name}{suffix}"
                if path.is_file():
                    media = work.OFFICE.get(suffix, "application/pdf")
                    return FileResponse(path, media_type=media,
                                        filename=f"{name}-{year}年{month}月{suffix}")
        raise Denied(404, "归档中没有这份简报")

    async def delegations_page(request: Request):
        s = need(request)
        from ..data.config import load_config

        config = load_config(data, assets=False)
        if request.method == "GET":
            blank = {k: "" for k in DELEGATION_FIELDS} | {"industries": [], "regions": []}
            return page(request, "delegations.html", s=s, config=config, error="", values=blank,
                        recent=_handouts())
        form = await form_of(request, s)
        values = {k: str(form.get(k, "")).strip()[:200] for k in DELEGATION_FIELDS}
        values["industries"] = [str(v) for v in form.getlist("industries")][:20]
        values["regions"] = [str(v) for v in form.getlist("regions")][:20]
        from ..errors import ConfigError, DataError

        try:
            path = uploads.write_delegation(data / "delegations", values, config)
        except (DataError, ConfigError) as exc:
            message = "\n".join(map(str, exc.problems)) if isinstance(exc, DataError) \
                else str(exc)
            return page(request, "delegations.html", s=s, status=400, config=config,
                        error=message, values=values, recent=_handouts())
        out = uploads.root(data) / "handouts" / path.stem
        store.audit(s.user.name, "代表团资料", f"{path.name}")
        job = runner.submit("代表团资料", s.user.name, f"代表团资料：{values['name']}",
                            lambda: work.handout(data, path, out))
        return job_page(job)

    def _handouts() -> list[tuple[str, list[str]]]:
        folder = uploads.root(data) / "handouts"
        if not folder.is_dir():
            return []
        return [(p.name, sorted(str(f.relative_to(p)) for f in p.rglob("*.pdf")))
                for p in sorted(folder.iterdir()) if p.is_dir()]

    async def handout_file(request: Request):
        need(request)
        stem, name = request.path_params["stem"], request.path_params["name"]
        for folder, files in _handouts():
            if folder == stem:
                for f in files:
                    if f.rsplit("/", 1)[-1] == name:
                        path = uploads.root(data) / "handouts" / folder / f
                        return FileResponse(path, media_type="application/pdf", filename=name)
        raise Denied(404, "没有这个文件")

    async def job_view(request: Request):
        s = need(request)
        job_id = request.path_params["job_id"]
        want_json = job_id.endswith(".json")
        job = _job(job_id.removesuffix(".json"))
        if job is None:
            raise Denied(404, "没有这个任务")
        elapsed = (job["finished"] or time.time()) - (job["started"] or time.time())
        nxt = request.query_params.get("next", "")
        if not re.fullmatch(r"/uploads/\d{8}-\d{6}-[0-9a-f]{8}/preview", nxt):
            nxt = ""
        if want_json:
            return JSONResponse({"state": job["state"], "elapsed": round(elapsed, 1),
                                 "message": job["message"][-2000:] if job["state"] in
                                 ("done", "failed") else ""})
        return page(request, "job.html", s=s, job=job, elapsed=elapsed, next=nxt,
                    result=_result(job))

    async def audit_page(request: Request):
        s = need(request, admin=True)
        return page(request, "audit.html", s=s, log=store.audit_log(500))

    async def static(request: Request):
        name = request.path_params["name"]
        from .. import ROOT

        if name == FONT:
            return FileResponse(ROOT / "fonts" / FONT, media_type="font/ttf",
                                headers={"Cache-Control": "public, max-age=2592000"})
        if name not in STATIC:
            raise Denied(404, "没有这个文件")
        return FileResponse(ROOT / "templates" / "web" / "static" / name,
                            media_type=STATIC[name])

    async def denied(request: Request, exc: Denied):
        if exc.status == 401 and request.method == "GET":
            return RedirectResponse("/login", status_code=303)
        return page(request, "error.html", status=exc.status, message=exc.message)

    async def store_error(request: Request, exc: StoreError):
        return page(request, "error.html", status=400, message=str(exc))

    async def http_error(request: Request, exc: HTTPException):
        words = {404: "没有这个页面", 405: "不能这样访问这个页面（请从页面上的链接或按钮进入）"}
        return page(request, "error.html", status=exc.status_code,
                    message=words.get(exc.status_code, f"请求有误（{exc.status_code}）"))

    async def crashed(request: Request, exc: Exception):
        log.exception("网页出错：%s %s", request.method, request.url.path)
        return HTMLResponse("<!DOCTYPE html><meta charset=utf-8><title>出错</title>"
                            "<p>服务器出错，已记入日志。请稍后重试，或告诉管理员。</p>", status_code=500)

    routes = [
        Route("/", index), Route("/login", login, methods=["GET", "POST"]),
        Route("/logout", logout, methods=["POST"]),
        Route("/upload", upload, methods=["GET", "POST"]),
        Route("/uploads/{upload_id}", upload_result),
        Route("/uploads/{upload_id}/preview", preview_page),
        Route("/uploads/{upload_id}/files/{name}", upload_file),
        Route("/uploads/{upload_id}/{action}", upload_action, methods=["POST"]),
        Route("/template.xlsx", template_download),
        Route("/archive", archive_page),
        Route("/archive/issue", archive_issue, methods=["POST"]),
        Route("/archive/{year}/{month}/{job}.pdf", archive_file),
        Route("/archive/{year}/{month}/{job}.docx", archive_file),
        Route("/archive/{year}/{month}/{job}.ofd", archive_file),
        Route("/delegations", delegations_page, methods=["GET", "POST"]),
        Route("/handouts/{stem}/{name}", handout_file),
        Route("/jobs/{job_id}", job_view),
        Route("/audit", audit_page),
        Route("/static/{name}", static),
    ]
    app = Starlette(routes=routes, exception_handlers={
        Denied: denied, StoreError: store_error, HTTPException: http_error, Exception: crashed})
    app.state.store, app.state.runner = store, runner
    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodyLimit)
    return app


DELEGATION_FIELDS = ("name", "name_en", "visit_date", "home", "language", "copies", "contact",
                     "contact_en", "title", "title_en", "phone", "email")


def _result(job: dict | None) -> dict:
    import json

    if not job or not job.get("result"):
        return {}
    try:
        return json.loads(job["result"])
    except ValueError:
        return {}


def _last_month() -> str:
    today = time.localtime()
    year, month = (today.tm_year, today.tm_mon - 1) if today.tm_mon > 1 else \
        (today.tm_year - 1, 12)
    return f"{year}-{month:02d}"
