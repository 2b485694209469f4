"""What stands between a request and the pages: the body limit (refused past ``MAX_BODY``
before it is read), the security headers on every response, and ``Denied`` — a refusal with
its status and its words in Chinese."""

from __future__ import annotations

from . import uploads

MAX_BODY = uploads.MAX_FILE * uploads.MAX_FILES + 1024 * 1024
HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; script-src 'self'; "
                               "style-src 'self'; frame-ancestors 'none'; form-action 'self'; "
                               "base-uri 'none'; object-src 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cache-Control": "no-store",
}


class Denied(Exception):
    """A request refused: its HTTP status and what the page says."""

    def __init__(self, status: int, message: str):
        self.status, self.message = status, message


class BodyLimit:
    """Refuse a request body over ``limit`` bytes: by its Content-Length at once, and by
    counting what arrives (a chunked upload) as it is read."""

    def __init__(self, app, limit: int = MAX_BODY):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.limit):
            return await _too_large(send)
        seen = 0

        async def counted():
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise Denied(413, "上传的内容过大")
            return message

        try:
            await self.app(scope, counted, send)
        except Denied:
            await _too_large(send)


async def _too_large(send):
    body = "上传的内容过大（所有文件合计不超过 {} MB）".format(MAX_BODY // 1024 // 1024).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"text/plain; charset=utf-8")]})
    await send({"type": "http.response.body", "body": body})


class SecurityHeaders:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        async def with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                for key, value in HEADERS.items():
                    if key.lower().encode() not in present:
                        headers.append((key.encode(), value.encode()))
                message["headers"] = headers
            await send(message)
        await self.app(scope, receive, with_headers)
