"""Safe by default: sessions in memory, CSRF tokens, body limits and security headers.

Why each piece:
- Sessions: the answers in progress are kept in this process's memory, keyed by a random
  id in an HttpOnly, SameSite=Strict cookie. Nothing reaches the disk; the store is bounded
  (oldest sessions go first) and idle sessions expire.
- CSRF: every POST form carries the session's token; a missing or wrong token is refused
  with 403 before the form is acted on.
- Body limit: a request body larger than the limit is refused with 413 while it streams,
  so a huge upload never sits in memory.
- Headers: a CSP without inline scripts or styles, no framing, no MIME sniffing, no referrer.
"""

from __future__ import annotations

import hmac
import secrets
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

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


@dataclass
class Session:
    """One person's questionnaire in progress."""

    id: str
    csrf: str
    answers: dict[str, Any] = field(default_factory=dict)
    visited: set[str] = field(default_factory=set)
    notice: str | None = None
    typed: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Answers typed but refused, by path: (the text as typed, why), shown back on the page."""
    """A message shown once on the next page (answers loaded, more questions apply)."""
    touched: float = field(default_factory=time.monotonic)


class SessionStore:
    """A bounded in-memory map from session id to `Session`, oldest evicted first."""

    def __init__(self, max_sessions: int = 500, idle_seconds: float = 12 * 3600) -> None:
        self.max_sessions = max_sessions
        self.idle_seconds = idle_seconds
        self._sessions: OrderedDict[str, Session] = OrderedDict()

    def __len__(self) -> int:
        return len(self._sessions)

    def get(self, session_id: str | None) -> Session | None:
        """The live session with this id, or None (unknown, expired or malformed id)."""
        if not session_id or len(session_id) > 100:
            return None
        session = self._sessions.get(session_id)
        if session is None:
            return None
        now = time.monotonic()
        if now - session.touched > self.idle_seconds:
            del self._sessions[session_id]
            return None
        session.touched = now
        self._sessions.move_to_end(session_id)
        return session

    def new(self) -> Session:
        """A fresh session with its own random id and CSRF token."""
        while len(self._sessions) >= self.max_sessions:
            self._sessions.popitem(last=False)
        session = Session(id=secrets.token_urlsafe(32), csrf=secrets.token_urlsafe(32))
        self._sessions[session.id] = session
        return session


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
        scope.setdefault("state", {})["session"] = session

        async def send_with_cookie(message: Message) -> None:
            if fresh and message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.append(
                    "set-cookie",
                    f"{COOKIE}={session.id}; Path=/; HttpOnly; SameSite=Strict",
                )
            await send(message)

        await self.app(scope, receive, send_with_cookie)


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
