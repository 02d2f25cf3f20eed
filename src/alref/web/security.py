"""The dashboard's guards, as ASGI middleware (outermost first in `app.create_app`).

- `BodyLimit`: a body over the limit is refused with 413 whether or not it declares a
  Content-Length (a chunked body is counted as it arrives and never read past the limit).
- `Guard`: optional token authentication (team mode), CSRF protection of every state-
  changing request, a per-client rate limit on submissions, and security headers (a strict
  Content-Security-Policy: every script, style and font comes from this server).

CSRF: a cross-site request is refused when the browser says so (``Sec-Fetch-Site`` other
than same-origin/none, or an ``Origin`` whose host is not this server's); a request a
browser makes (``Origin``, ``Sec-Fetch-Site`` or a cookie present) must also carry the
page's token in ``X-CSRF-Token``. Scripts without any of those (curl, httpx) are not a CSRF
vector and need only the auth token when one is set.
"""

from __future__ import annotations

import collections
import hashlib
import hmac
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

from alref.web.settings import Settings

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
SUBMIT_PATHS = ("/api/simulate", "/api/assess", "/api/studies", "/api/validate", "/api/cell")
OPEN_PATHS = ("/login", "/static/", "/api/health")
SESSION_COOKIE = "alref_session"
# assumption: past 10,000 distinct clients the rate table drops those idle for a minute
MAX_CLIENTS = 10_000
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; "
       "frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
HEADERS = [(b"content-security-policy", CSP.encode()), (b"x-content-type-options", b"nosniff"),
           (b"referrer-policy", b"no-referrer"), (b"x-frame-options", b"DENY"),
           (b"cross-origin-opener-policy", b"same-origin")]


def _sign(secret: str, what: str) -> str:
    return hmac.new(secret.encode(), what.encode(), hashlib.sha256).hexdigest()


def csrf_token(settings: Settings) -> str:
    """The token every page carries (per server process)."""
    return _sign(settings.secret, "csrf")[:40]


def session_value(settings: Settings) -> str:
    """Cookie value proving the team token was given (never the token itself)."""
    return _sign(settings.secret, f"session:{settings.token}")


async def json_response(send: Send, status: int, body: dict[str, Any],
                        headers: list[tuple[bytes, bytes]] = ()) -> None:
    data = json.dumps(body).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(data)).encode()), *HEADERS, *headers]})
    await send({"type": "http.response.body", "body": data})


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}


class BodyLimit:
    """413 for a body over `limit` bytes (declared or streamed)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        too_big = {"error": {"key": "body", "message": f"request body over {self.limit} bytes"}}
        declared = _headers(scope).get("content-length")
        if declared is not None:
            try:
                if int(declared) > self.limit:
                    await json_response(send, 413, too_big)
                    return
            except ValueError:
                await json_response(send, 400, {"error": {"key": "content-length",
                                                          "message": "not a number"}})
                return
        chunks, size = [], 0
        while True:
            msg = await receive()
            if msg["type"] != "http.request":  # the client left
                return
            size += len(msg.get("body", b""))
            if size > self.limit:
                await json_response(send, 413, too_big, [(b"connection", b"close")])
                return
            chunks.append(msg.get("body", b""))
            if not msg.get("more_body"):
                break
        body, replayed = b"".join(chunks), False

        async def replay() -> dict[str, Any]:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        scope.setdefault("state", {})["body"] = body
        await self.app(scope, replay, send)


class Guard:
    """Authentication, CSRF, submission rate limit and security headers."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app, self.settings = app, settings
        self.hits: dict[str, collections.deque[float]] = collections.defaultdict(collections.deque)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path, method, h = scope["path"], scope["method"], _headers(scope)
        if method in UNSAFE and not self._same_site(h):
            await json_response(send, 403, {"error": {"key": "origin", "message":
                                                      "cross-site request refused"}})
            return
        if self.settings.token and not path.startswith(OPEN_PATHS) and not self._authed(h):
            if path.startswith("/api/") or method != "GET":
                await json_response(send, 401, {"error": {"key": "token", "message":
                                                          "authentication required"}},
                                    [(b"www-authenticate", b"Bearer")])
            else:
                await send({"type": "http.response.start", "status": 303,
                            "headers": [(b"location", b"/login"), *HEADERS]})
                await send({"type": "http.response.body", "body": b""})
            return
        if method in UNSAFE and path != "/login" and not self._csrf_ok(h):
            await json_response(send, 403, {"error": {"key": "csrf", "message":
                                                      "missing or wrong X-CSRF-Token"}})
            return
        if method == "POST" and path.startswith(SUBMIT_PATHS) and not self._allow(scope):
            await json_response(send, 429, {"error": {"key": "rate", "message":
                                                      "too many submissions; wait a minute"}},
                                [(b"retry-after", b"60")])
            return
        if path == "/login" and method == "POST":
            await self._login(scope, send)
            return

        async def send_with_headers(msg: dict[str, Any]) -> None:
            if msg["type"] == "http.response.start":
                names = {k.lower() for k, _ in msg.get("headers", [])}
                msg["headers"] = [*msg.get("headers", []),
                                  *(x for x in HEADERS if x[0] not in names)]
            await send(msg)

        await self.app(scope, receive, send_with_headers)

    def _same_site(self, h: dict[str, str]) -> bool:
        site = h.get("sec-fetch-site")
        if site is not None and site not in ("same-origin", "none"):
            return False
        origin = h.get("origin")
        if origin is not None:
            return origin != "null" and urlsplit(origin).netloc == h.get("host", "")
        return True

    def _csrf_ok(self, h: dict[str, str]) -> bool:
        browser = any(k in h for k in ("origin", "sec-fetch-site", "cookie"))
        if not browser:
            return True
        return hmac.compare_digest(h.get("x-csrf-token", ""), csrf_token(self.settings))

    def _authed(self, h: dict[str, str]) -> bool:
        token = self.settings.token or ""
        auth = h.get("authorization", "")
        if auth.startswith("Bearer ") and hmac.compare_digest(auth[7:].strip(), token):
            return True
        for part in h.get("cookie", "").split(";"):
            name, _, value = part.strip().partition("=")
            if name == SESSION_COOKIE and hmac.compare_digest(value,
                                                              session_value(self.settings)):
                return True
        return False

    def _allow(self, scope: Scope) -> bool:
        client = (scope.get("client") or ("?", 0))[0]
        t = time.monotonic()
        if len(self.hits) > MAX_CLIENTS:  # forget clients idle for a minute
            for key in [k for k, q in self.hits.items() if not q or t - q[-1] > 60.0]:
                del self.hits[key]
        q = self.hits[client]
        while q and t - q[0] > 60.0:
            q.popleft()
        if len(q) >= self.settings.rate_limit_per_min:
            return False
        q.append(t)
        return True

    async def _login(self, scope: Scope, send: Send) -> None:
        body = scope.get("state", {}).get("body", b"")
        given = parse_qs(body.decode("utf-8", "replace")).get("token", [""])[0]
        if self.settings.token and hmac.compare_digest(given, self.settings.token):
            cookie = (f"{SESSION_COOKIE}={session_value(self.settings)}; HttpOnly; "
                      "SameSite=Strict; Path=/").encode()
            await send({"type": "http.response.start", "status": 303,
                        "headers": [(b"location", b"/"), (b"set-cookie", cookie), *HEADERS]})
            await send({"type": "http.response.body", "body": b""})
            return
        await json_response(send, 401, {"error": {"key": "token", "message": "wrong token"}})
