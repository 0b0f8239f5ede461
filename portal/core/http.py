"""ASGI wrappers around the whole application (they see 404s too, unlike route middleware).

- request context: request id, the request's language, one access-log line per request;
- security headers on every response;
- conditional GET: a strong ETag on public HTML and Atom pages, 304 when it matches;
- tenant by host: a request to a tenant's own host name is served as /{slug}/... .
"""

import hashlib
import re
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs, urlsplit

import structlog

from portal.core.settings import Language, Settings
from portal.i18n import negotiate, parse_language, set_language

# Plain ASGI types: these wrappers speak raw ASGI, below Litestar's typed events.
Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

LANGUAGE_COOKIE = "lang"
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
_access_log = structlog.get_logger("portal.access")


def content_security_policy(identity_provider: str) -> str:
    """No inline script or style; forms post here, or lead (sign-out) to the identity provider."""
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(identity_provider))
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"font-src 'self'; connect-src 'self'; form-action 'self' {origin}; base-uri 'none'; "
        "object-src 'none'; frame-ancestors 'none'"
    )


VARY = "Accept-Language, Cookie, HX-Request, HX-Request-Type"


def header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return str(value.decode("latin-1"))
    return None


def cookie(scope: Scope, name: str) -> str | None:
    raw = header(scope, b"cookie")
    if not raw:
        return None
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(raw)
    except Exception:
        return None
    morsel = jar.get(name)
    return morsel.value if morsel else None


def query_param(scope: Scope, name: str) -> str | None:
    values = parse_qs(scope.get("query_string", b"").decode("latin-1")).get(name)
    return values[0] if values else None


def request_language(scope: Scope, default: Language) -> Language:
    return negotiate(
        query_param(scope, "lang"), cookie(scope, LANGUAGE_COOKIE), header(scope, b"accept-language"), default
    )


def _with_headers(message: Message, extra: Iterable[tuple[bytes, bytes]]) -> Message:
    headers = list(message.get("headers", []))
    present = {k.lower() for k, _ in headers}
    # A header the application set wins; Set-Cookie may repeat, so ours is always added.
    headers.extend((k, v) for k, v in extra if k not in present or k == b"set-cookie")
    return {**message, "headers": headers}


class RequestContext:
    """Request id, language and the access log; the language cookie follows an explicit ?lang=."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app, self.settings = app, settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = header(scope, b"x-request-id")
        request_id = incoming if incoming and _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        language = request_language(scope, self.settings.default_language)
        set_language(language)
        scope.setdefault("state", {})["language"] = language
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        chosen = parse_language(query_param(scope, "lang"))
        set_cookie = chosen is not None and chosen != cookie(scope, LANGUAGE_COOKIE)
        started, status = time.perf_counter(), 500

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                extra = [(b"x-request-id", request_id.encode())]
                if set_cookie and chosen:
                    extra.append((b"set-cookie", self._language_cookie(chosen)))
                message = _with_headers(message, extra)
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        except Exception:
            # The error page itself failed (a broken template, a lost database): answer with
            # a page that needs nothing, unless the response had already begun.
            _access_log.exception("unhandled error outside the application", path=scope["path"])
            if status == 500:
                await _send_last_resort_page(send_wrapper)
        finally:
            _access_log.info(
                "request",
                method=scope["method"],
                path=scope["path"],
                status=status,
                ms=round((time.perf_counter() - started) * 1000, 1),
            )

    def _language_cookie(self, language: str) -> bytes:
        secure = "; Secure" if self.settings.is_production else ""
        return f"{LANGUAGE_COOKIE}={language}; Path=/; Max-Age=31536000; SameSite=Lax{secure}".encode()


_LAST_RESORT = (
    b"<!doctype html><html lang=kk><meta charset=utf-8><title>500</title>"
    b"<h1>\xd2\x9a\xd0\xb0\xd1\x82\xd0\xb5 / \xd0\x9e\xd1\x88\xd0\xb8\xd0\xb1\xd0\xba\xd0\xb0 / Error</h1>"
    b"<p>500</p></html>"
)


async def _send_last_resort_page(send: Send) -> None:
    headers = [(b"content-type", b"text/html; charset=utf-8"), (b"cache-control", b"no-store")]
    await send({"type": "http.response.start", "status": 500, "headers": headers})
    await send({"type": "http.response.body", "body": _LAST_RESORT})


class SecurityHeaders:
    """The same defensive headers on every response, error pages included."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.headers: list[tuple[bytes, bytes]] = [
            (b"content-security-policy", content_security_policy(settings.oidc_issuer).encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"strict-origin-when-cross-origin"),
            (b"x-frame-options", b"DENY"),
            (b"cross-origin-opener-policy", b"same-origin"),
            (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=()"),
        ]
        if settings.is_production:
            self.headers.append((b"strict-transport-security", b"max-age=63072000; includeSubDomains"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = _with_headers(message, self.headers)
            await send(message)

        await self.app(scope, receive, send_wrapper)


_CACHEABLE_TYPES = (b"text/html", b"application/atom+xml")


def not_modified(if_none_match: str, etag: str) -> bool:
    """If-None-Match names this ETag (weak comparison, as for GET)."""
    return etag in {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}


class ConditionalGet:
    """ETag and 304 for GET pages: the body is hashed once rendered, so any page qualifies.

    Pages that set Cache-Control themselves (no-store for personal pages) are passed through.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in {"GET", "HEAD"}:
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        chunks: list[bytes] = []
        passthrough = False

        async def send_wrapper(message: Message) -> None:
            nonlocal start, passthrough
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers", []))
                content_type = headers.get(b"content-type", b"")
                if (
                    message["status"] != 200
                    or b"cache-control" in headers
                    or b"etag" in headers
                    or not content_type.startswith(_CACHEABLE_TYPES)
                ):
                    passthrough = True
                    await send(message)
                    return
                start = message
                return
            if passthrough or start is None:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            await self._finish(scope, send, start, b"".join(chunks))

        await self.app(scope, receive, send_wrapper)

    @staticmethod
    async def _finish(scope: Scope, send: Send, start: Message, body: bytes) -> None:
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        extra = [
            (b"etag", etag.encode()),
            (b"cache-control", b"no-cache"),
            (b"vary", VARY.encode()),
        ]
        if not_modified(header(scope, b"if-none-match") or "", etag):
            headers = [
                (k, v) for k, v in start.get("headers", []) if k not in {b"content-length", b"content-type"}
            ]
            await send({"type": "http.response.start", "status": 304, "headers": [*headers, *extra]})
            await send({"type": "http.response.body", "body": b""})
            return
        await send(_with_headers(start, extra))
        await send({"type": "http.response.body", "body": body})


class TenantHostRewrite:
    """Serve https://<tenant host>/x as /<slug>/x, so a region may have its own domain."""

    #: Paths that belong to the whole portal, not to one region.
    global_prefixes: tuple[str, ...] = (
        "/static/",
        "/healthz",
        "/readyz",
        "/rules",
        "/robots.txt",
        "/announcements.atom",
    )

    def __init__(self, app: ASGIApp, slug_for_host: Callable[[str], str | None]) -> None:
        self.app, self.slug_for_host = app, slug_for_host

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            host = (header(scope, b"host") or "").split(":")[0].lower()
            slug = self.slug_for_host(host) if host else None
            path: str = scope["path"]
            if slug and not path.startswith((f"/{slug}/", *self.global_prefixes)):
                new_path = f"/{slug}{path}" if path != f"/{slug}" else path
                rewritten = {**scope, "path": new_path, "raw_path": new_path.encode()}
                await self.app(rewritten, receive, send)
                if "route_handler" in rewritten:  # the page cache outside asks which route answered
                    scope["route_handler"] = rewritten["route_handler"]
                return
        await self.app(scope, receive, send)


def wrap(app: ASGIApp, layers: Iterable[Callable[[ASGIApp], ASGIApp]]) -> ASGIApp:
    for layer in layers:
        app = layer(app)
    return app


__all__ = [
    "LANGUAGE_COOKIE",
    "ConditionalGet",
    "RequestContext",
    "SecurityHeaders",
    "TenantHostRewrite",
    "not_modified",
    "request_language",
    "wrap",
]
