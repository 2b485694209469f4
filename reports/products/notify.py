"""Telling the operator: a failed or refused ``report monthly`` run sends a notice to every
address in config.toml's ``[notify] urls`` — e-mail, 企业微信 or 钉钉 webhooks, a JSON POST —
through apprise (https://github.com/caronc/apprise), the only module that imports it.

A notice that cannot be sent is logged, never raised: the run's own exit code and log still
say what happened. ``report notify`` sends one from the command line (systemd's OnFailure=).
"""

from __future__ import annotations

import logging

log = logging.getLogger("reports.notify")
TITLE = "招商引资简报"


def send(urls, title: str, body: str) -> bool:
    """True when every address took the notice."""
    urls = [u for u in urls if u]
    if not urls:
        return True
    import warnings

    with warnings.catch_warnings():  # apprise's plugins import imghdr, deprecated in 3.13
        warnings.simplefilter("ignore", DeprecationWarning)
        return _send(urls, title, body)


def _send(urls, title: str, body: str) -> bool:
    try:
        import apprise
    except ImportError:  # pragma: no cover — a dependency, but a notice must not crash a run
        log.error("无法发送通知：未安装 apprise（pip install apprise）")
        return False
    logging.getLogger("apprise").setLevel(logging.CRITICAL)  # its own output: ours is enough
    client = apprise.Apprise()
    bad = [u for u in urls if not client.add(u)]
    for url in bad:
        log.error("通知地址无法识别，已跳过：%s", url.split("://", 1)[0] + "://…")
    try:
        ok = bool(client.notify(title=title, body=body)) if len(client) else False
    except Exception as exc:  # noqa: BLE001 — a notice that fails must not hide the failure
        log.error("发送通知失败：%s", exc)
        return False
    if not ok:
        log.error("发送通知失败（%d 个地址）：请检查 config.toml 的 [notify] urls 与网络", len(urls))
    return ok and not bad
