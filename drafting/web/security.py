"""Safe by default: sessions by cookie, CSRF tokens, body limits and security headers.

Why each piece:
- Sessions: the answers in progress are kept in a `SessionStore` (SQLite, on disk or in
  memory), keyed by a random id in an HttpOnly, SameSite=Strict cookie that lasts as long
  as the store keeps the answers; idle sessions expire.
- CSRF: every POST form carries the session's token; a missing or wrong token is refused
  with 403 before the form is acted on.
- Body limit: a request body larger than the limit is refused with 413 while it streams,
  so a huge upload never sits in memory.
- Headers: a CSP without inline scripts or styles, no framing, no MIME sniffing, no referrer.
"""

from __future__ import annotations

import hmac

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from drafting.web.store import Record, SessionStore

__all__ = [
    "COOKIE",
    "CSP",
    "BodyLimitMiddleware",
    "BodyTooLarge",
    "SecurityHeadersMiddleware",
    "Session",
    "SessionMiddleware",
    "SessionStore",
    "csrf_ok",
    "session_of",
]

COOKIE = "drafting_session"

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


Session = Record
"""One person's questionnaire in progress (`drafting.web.store.Record`)."""


def _cookie_value(scope: Scope) -> str | None:
    headers: list[tuple[bytes, bytes]] = scope.get("headers", [])
    for name, value in headers:
        if name == b"cookie":
            for part in value.decode("latin-1").split(";"):
                key, _, val = part.strip().partition("=")
                if key == COOKIE:
                    return val
    return None


class SessionMiddleware:
    """Attach the caller's `Session` to the request; set the cookie when a new one starts.

    A session is created lazily on the first request without a valid cookie. Pages work
    only with cookies on; the CSRF check refuses a POST from a browser that sends none.
    """

    def __init__(self, app: ASGIApp, store: SessionStore) -> None:
        self.app = app
        self.store = store

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/static/"):
            await self.app(scope, receive, send)
            return
        session = self.store.get(_cookie_value(scope))
        fresh = session is None
        if session is None:
            session = self.store.new()
        state = scope.setdefault("state", {})
        state["session"] = session
        before = session.state()

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                chosen = state.get("session_cookie")  # a resume link chose another session
                if fresh or chosen:
                    headers = MutableHeaders(scope=message)
                    max_age = int(self.store.expiry_seconds)
                    headers.append(
                        "set-cookie",
                        f"{COOKIE}={chosen or session.id}; Path=/; Max-Age={max_age}; "
                        "HttpOnly; SameSite=Strict",
                    )
            await send(message)

        try:
            await self.app(scope, receive, send_with_cookie)
        finally:
            current = state.get("session", session)
            if current.state() != before:
                self.store.save_state(current)


def session_of(request: Request) -> Session:
    """The session `SessionMiddleware` attached to this request."""
    session: Session = request.state.session
    return session


def csrf_ok(session: Session, token: object) -> bool:
    """True when `token` is this session's CSRF token (compared in constant time)."""
    return isinstance(token, str) and hmac.compare_digest(token.encode(), session.csrf.encode())


class SecurityHeadersMiddleware:
    """Add the security headers to every response."""

    HEADERS = (
        ("content-security-policy", CSP),
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "DENY"),
        ("referrer-policy", "no-referrer"),
        ("cross-origin-opener-policy", "same-origin"),
        ("permissions-policy", "camera=(), microphone=(), geolocation=()"),
    )

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.HEADERS:
                    headers[name] = value
                if not scope["path"].startswith("/static/"):
                    headers["cache-control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyTooLarge(Exception):
    """The request body went past the limit while it was being read."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"request body larger than {limit} bytes")
        self.limit = limit


class BodyLimitMiddleware:
    """Refuse request bodies over `limit` bytes with 413, by Content-Length or while streaming."""

    def __init__(self, app: ASGIApp, limit: int, too_large: ASGIApp) -> None:
        self.app = app
        self.limit = limit
        self.too_large = too_large

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = self.limit + 1
                if declared > self.limit:
                    await self.too_large(scope, receive, send)
                    return
        seen = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise BodyTooLarge(self.limit)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await self.too_large(scope, receive, send)
