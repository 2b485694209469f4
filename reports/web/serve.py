"""Running the web page: uvicorn on loopback unless told otherwise. Off loopback the session
cookie must travel over TLS — behind nginx (``--behind-proxy``: deploy/nginx-report.conf) —
or the operator says in so many words that it may not (``--insecure-http``)."""

from __future__ import annotations

import ipaddress
import logging
from pathlib import Path

from ..errors import UsageError

log = logging.getLogger("reports.web")


def loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(data: Path, archive: Path, host: str = "127.0.0.1", port: int = 8080,
          behind_proxy: bool = False, insecure_http: bool = False) -> None:
    import uvicorn

    from .app import create_app

    if not (Path(data) / "config.toml").is_file():
        raise UsageError(f"错误：{data} 中没有 config.toml，不是数据文件夹。")
    if not loopback(host) and not (behind_proxy or insecure_http):
        raise UsageError(
            f"错误：--host {host} 让其他电脑也能访问，但没有 TLS，登录的会话可被窃听。请让 nginx 提供 "
            "HTTPS 并转发到本机（见 deploy/nginx-report.conf，服务仍监听 127.0.0.1，加 --behind-proxy），"
            "或明知风险时加 --insecure-http。")
    if insecure_http and not loopback(host):
        log.warning("警告：以明文 HTTP 在 %s 上提供服务：密码和会话可被同一网络中的人截获。", host)
    Path(archive).mkdir(parents=True, exist_ok=True)
    app = create_app(data, archive, secure_cookies=not insecure_http)
    uvicorn.run(app, host=host, port=port, proxy_headers=behind_proxy,
                forwarded_allow_ips="127.0.0.1" if behind_proxy else None,
                server_header=False, date_header=False, log_level="info", access_log=True)
