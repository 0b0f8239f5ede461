"""portal.core.pagecache.PublicPageCache around a stand-in application (issue 9).

What is stored and when it is rendered again: once per page while fresh, again when the public
data changes or the page expires (one rendering for all the readers who arrive meanwhile), never
for a request with a session cookie or a response with a cookie of its own.
"""

import asyncio
import dataclasses
from types import SimpleNamespace
from typing import Any

import pytest
from litestar.config.csrf import CSRFConfig

from portal.core.pagecache import PUBLIC_CACHE_KEY, PublicDataVersion, PublicPageCache


class Page:
    """An ASGI app answering one HTML page after a short pause; counts its renderings."""

    def __init__(self, *, cacheable: bool = True, cookie: bytes | None = None) -> None:
        self.renderings, self.cacheable, self.cookie = 0, cacheable, cookie

    async def __call__(self, scope: dict[str, Any], _receive: Any, send: Any) -> None:
        self.renderings += 1
        await asyncio.sleep(0.01)
        scope["route_handler"] = SimpleNamespace(opt={PUBLIC_CACHE_KEY: self.cacheable})
        headers = [(b"content-type", b"text/html"), (b"etag", b'"abc"')]
        if (b"if-none-match", b'"abc"') in scope["headers"]:  # as ConditionalGet answers
            await send({"type": "http.response.start", "status": 304, "headers": headers[1:]})
            await send({"type": "http.response.body", "body": b""})
            return
        if self.cookie:
            headers.append((b"set-cookie", self.cookie))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": f"page {self.renderings}".encode()})


def cache_around(app: Page) -> PublicPageCache:
    csrf = CSRFConfig(secret="s" * 32, cookie_name="csrftoken")
    return PublicPageCache(app, seconds=60, session_cookie="session", csrf=csrf, today=lambda: None)  # type: ignore[arg-type]


async def get(cache: PublicPageCache, cookie: str = "", etag: str = "") -> list[dict[str, Any]]:
    sent: list[dict[str, Any]] = []
    headers = [(b"host", b"example"), *([(b"cookie", cookie.encode())] if cookie else [])]
    headers += [(b"if-none-match", etag.encode())] if etag else []
    scope = {"type": "http", "method": "GET", "path": "/x", "query_string": b"", "headers": headers}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await cache(scope, None, send)  # type: ignore[arg-type]
    return sent


def body(sent: list[dict[str, Any]]) -> bytes:
    return b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


def test_rendered_once_while_fresh_again_when_the_data_changes() -> None:
    app = Page()
    cache = cache_around(app)

    async def scenario() -> None:
        assert body(await get(cache)) == b"page 1"
        assert body(await get(cache)) == b"page 1"
        PublicDataVersion.bump()  # what a write to a public table does
        assert body(await get(cache)) == b"page 2"

    asyncio.run(scenario())
    assert app.renderings == 2


def test_an_expired_page_is_rendered_once_for_all_who_wait() -> None:
    app = Page()
    cache = cache_around(app)

    async def scenario() -> list[bytes]:
        await get(cache)
        for key, page in cache.pages.items():
            cache.pages[key] = dataclasses.replace(page, stored_at=page.stored_at - 3600)
        return [body(sent) for sent in await asyncio.gather(*(get(cache) for _ in range(10)))]

    bodies = asyncio.run(scenario())
    assert app.renderings == 2
    assert set(bodies) == {b"page 2"}


def test_a_304_for_an_expired_page_keeps_it_for_another_period() -> None:
    app = Page()
    cache = cache_around(app)

    def expire() -> None:
        for key, page in cache.pages.items():
            cache.pages[key] = dataclasses.replace(page, stored_at=page.stored_at - 3600)

    async def scenario() -> list[int]:
        await get(cache)
        expire()
        revalidated = await get(cache, etag='"abc"')  # rendered again: the application says 304
        later = await get(cache)  # the same page, still stored
        return [revalidated[0]["status"], later[0]["status"], app.renderings]

    assert asyncio.run(scenario()) == [304, 200, 2]


@pytest.mark.parametrize(
    ("app", "cookie"),
    [
        (Page(), "session=abc"),  # a reader with a session: personal
        (Page(cookie=b"lang=ru; Path=/"), ""),  # a page that sets a cookie of its own
        (Page(cacheable=False), ""),  # a route that did not ask for it
    ],
)
def test_never_stored(app: Page, cookie: str) -> None:
    cache = cache_around(app)

    async def scenario() -> None:
        for _ in range(3):
            await get(cache, cookie)

    asyncio.run(scenario())
    assert app.renderings == 3
    assert not cache.pages
