"""The public pages, kept rendered in memory for anonymous readers while their data is unchanged.

When a selection is announced, many people read the same few pages at once (issue 9). An
anonymous reader's announcement list, announcement, region home, index, Atom feed or list of the
enrolled (A-27) depends only on the URL, the host, the language, the htmx request headers, today's
date and the public tables; routes that say so (`opt=CACHED_PUBLIC`) are served from here until
one of those changes.

- Only GETs without a session cookie or an Authorization header are served or stored, and only
  200 responses of a route marked cacheable that set no cookie but the CSRF one. Nothing personal
  (signed-in pages, flash messages, forms with a token) can come from or go into the cache.
- Freshness in this process is exact: any write to a public table (or schema change), through any
  SQLAlchemy engine of the process, moves the version on at the statement and again at its commit,
  and a page rendered while the version moved is not kept. Other processes (the other workers,
  the CLI) are covered by the time limit, `PORTAL_PUBLIC_CACHE_SECONDS` (0 turns the cache off).
- A hit is answered as the application would: a 304 when If-None-Match names the stored ETag,
  and a fresh CSRF cookie when the reader has none (as Litestar's CSRF middleware does).
- When a stored page is rendered again (expired, or its data changed), readers who ask for it
  meanwhile wait for that one rendering instead of each rendering it too.

The wrapper sits outside ConditionalGet (it stores the ETag that one computed) and inside the
request context and security headers, which still run for every request.
"""

import asyncio
import dataclasses
import re
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from typing import Any, Final

import sqlalchemy as sa
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import Cookie
from litestar.middleware.csrf import generate_csrf_token

from portal.core.access import PUBLIC_KEY
from portal.core.http import ASGIApp, Message, Receive, Scope, Send, header, not_modified

PUBLIC_CACHE_KEY: Final = "public_cache"
#: Open to everyone and the same for every anonymous reader: the page cache may keep it.
CACHED_PUBLIC: Final[dict[str, Any]] = {PUBLIC_KEY: True, PUBLIC_CACHE_KEY: True}

#: The tables the cached pages read. A write to any other table leaves the pages as they are, so a
#: cached page that starts reading another table must add it here (test_page_cache.py checks).
PUBLIC_TABLES: Final = frozenset(
    {
        "selection",
        "announcement_text",
        "selection_direction",
        "sector_direction",
        "tenant",
        # the public list of the enrolled (rules.md A-27): memberships and their consent to publication
        "reserve_membership",
        "publication_consent",
    }
)
_FIRST_WORD = re.compile(r"\s*(\w+)")
_WRITES = frozenset({"insert", "update", "delete", "replace", "merge", "with"})
_SCHEMA_CHANGES = frozenset({"drop", "alter", "create", "truncate"})
_PUBLIC_TABLE = re.compile(r"\b(?:" + "|".join(sorted(PUBLIC_TABLES)) + r")\b", re.IGNORECASE)
_DIRTY = "portal.public_data_written"


class PublicDataVersion:
    """A process-wide counter that moves whenever a public table is written."""

    value: int = 0

    @classmethod
    def bump(cls) -> None:
        cls.value += 1


def writes_public_data(statement: str) -> bool:
    """A statement that may change what the public pages show (reads never do; schema changes may).

    Erring on the side of yes costs one page rendering, erring on the side of no a stale page.
    """
    first = _FIRST_WORD.match(statement)
    word = first.group(1).lower() if first else ""
    if word in _SCHEMA_CHANGES:
        return True
    return word in _WRITES and _PUBLIC_TABLE.search(statement) is not None


def _before_execute(conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
    if writes_public_data(statement):
        conn.info[_DIRTY] = True
        PublicDataVersion.bump()


def _after_commit(conn: Any) -> None:
    if conn.info.pop(_DIRTY, False):
        PublicDataVersion.bump()


def _after_rollback(conn: Any) -> None:
    conn.info.pop(_DIRTY, None)


def watch_public_tables() -> None:
    """Listen on every SQLAlchemy engine of the process (idempotent)."""
    if not sa.event.contains(sa.engine.Engine, "before_cursor_execute", _before_execute):
        sa.event.listen(sa.engine.Engine, "before_cursor_execute", _before_execute)
        sa.event.listen(sa.engine.Engine, "commit", _after_commit)
        sa.event.listen(sa.engine.Engine, "rollback", _after_rollback)


@dataclasses.dataclass(frozen=True, slots=True)
class _Page:
    version: int
    stored_at: float
    etag: str
    headers: list[tuple[bytes, bytes]]
    body: bytes


def _cookies(scope: Scope) -> dict[str, str]:
    raw = header(scope, b"cookie")
    if not raw:
        return {}
    jar = {}
    for part in raw.split(";"):
        name, sep, value = part.partition("=")
        if sep:
            jar[name.strip()] = value.strip()
    return jar


class PublicPageCache:
    """See the module docstring. `today` is the application's clock (read for every request)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        seconds: float,
        session_cookie: str,
        csrf: CSRFConfig,
        today: Callable[[], date],
        max_pages: int = 512,
        max_bytes: int = 512 * 1024,
    ) -> None:
        self.app, self.seconds, self.session_cookie, self.csrf = app, seconds, session_cookie, csrf
        self.today, self.max_pages, self.max_bytes = today, max_pages, max_bytes
        self.pages: OrderedDict[tuple[Any, ...], _Page] = OrderedDict()
        self.rendering: dict[tuple[Any, ...], asyncio.Event] = {}
        self.hits = self.misses = 0
        watch_public_tables()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.seconds <= 0 or scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        cookies = _cookies(scope)
        if self.session_cookie in cookies or header(scope, b"authorization") is not None:
            await self.app(scope, receive, send)
            return
        key = (
            header(scope, b"host"),
            scope["path"],
            scope.get("query_string", b""),
            scope.get("state", {}).get("language"),
            header(scope, b"hx-request"),
            header(scope, b"hx-request-type"),
            self.today(),
        )
        needs_csrf = self.csrf.cookie_name not in cookies
        page = self._usable(key)
        if page is None and key in self.rendering and key in self.pages:
            # A stored page is being rendered again (it expired, or the data changed): wait for
            # that rather than render it once more for every reader who arrives meanwhile.
            await self.rendering[key].wait()
            page = self._usable(key)
        if page is not None:
            self.hits += 1
            await self._replay(scope, send, page, needs_csrf=needs_csrf)
            return
        self.misses += 1
        done = self.rendering.setdefault(key, asyncio.Event())
        try:
            await self._render(
                scope, receive, send, key=key, version=PublicDataVersion.value, now=time.monotonic()
            )
        finally:
            done.set()
            if self.rendering.get(key) is done:
                del self.rendering[key]

    def _usable(self, key: tuple[Any, ...]) -> _Page | None:
        """The stored page, if the public data did not change since and it is younger than `seconds`."""
        page = self.pages.get(key)
        if page is None or page.version != PublicDataVersion.value:
            return None
        if time.monotonic() - page.stored_at >= self.seconds:
            return None
        self.pages.move_to_end(key)
        return page

    async def _render(
        self, scope: Scope, receive: Receive, send: Send, *, key: tuple[Any, ...], version: int, now: float
    ) -> None:
        start: Message | None = None
        chunks: list[bytes] = []
        size = 0

        async def keep(message: Message) -> None:
            nonlocal start, size
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body" and size <= self.max_bytes:
                body = message.get("body", b"")
                chunks.append(body)
                size += len(body)
            await send(message)

        await self.app(scope, receive, keep)
        handler = scope.get("route_handler")
        if start is None or handler is None or not handler.opt.get(PUBLIC_CACHE_KEY):
            return
        if PublicDataVersion.value != version:
            return
        if start["status"] == 304:
            self._still_the_same(key, start, version=version, now=now)
            return
        if start["status"] != 200 or size > self.max_bytes:
            return
        headers, etag = [], None
        for name, value in start.get("headers", []):
            if name == b"set-cookie":
                if not value.startswith(f"{self.csrf.cookie_name}=".encode()):
                    return  # a cookie of its own (a session, a preference): personal, not kept
                continue
            if name == b"etag":
                etag = value.decode("latin-1")
            headers.append((name, value))
        if etag is None:
            return
        self.pages[key] = _Page(version, now, etag, headers, b"".join(chunks))
        self.pages.move_to_end(key)
        while len(self.pages) > self.max_pages:
            self.pages.popitem(last=False)

    def _still_the_same(self, key: tuple[Any, ...], start: Message, *, version: int, now: float) -> None:
        """A reader revalidating an expired page got 304: the page has the stored ETag, so the
        stored body is still the page (the ETag is its hash) and is kept for another period."""
        page = self.pages.get(key)
        etag = dict(start.get("headers", [])).get(b"etag", b"").decode("latin-1")
        if page is not None and etag == page.etag:
            self.pages[key] = dataclasses.replace(page, version=version, stored_at=now)
            self.pages.move_to_end(key)

    async def _replay(self, scope: Scope, send: Send, page: _Page, *, needs_csrf: bool) -> None:
        extra = [(b"set-cookie", self._csrf_cookie())] if needs_csrf else []
        if_none_match = header(scope, b"if-none-match")
        if if_none_match and not_modified(if_none_match, page.etag):
            headers = [(k, v) for k, v in page.headers if k not in {b"content-length", b"content-type"}]
            await send({"type": "http.response.start", "status": 304, "headers": [*headers, *extra]})
            await send({"type": "http.response.body", "body": b""})
            return
        await send({"type": "http.response.start", "status": 200, "headers": [*page.headers, *extra]})
        await send({"type": "http.response.body", "body": page.body})

    def _csrf_cookie(self) -> bytes:
        config = self.csrf
        cookie = Cookie(
            key=config.cookie_name,
            value=generate_csrf_token(secret=config.secret),
            path=config.cookie_path,
            secure=config.cookie_secure,
            httponly=config.cookie_httponly,
            samesite=config.cookie_samesite,
            domain=config.cookie_domain,
        )
        return cookie.to_header(header="").encode("latin-1")


__all__ = [
    "CACHED_PUBLIC",
    "PUBLIC_TABLES",
    "PublicDataVersion",
    "PublicPageCache",
    "watch_public_tables",
    "writes_public_data",
]
