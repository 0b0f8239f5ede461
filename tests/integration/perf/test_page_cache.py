"""The public pages are kept rendered for anonymous readers, and only for them (issue 9).

portal.core.pagecache: a stored page costs no SQL; a write to a public table shows at once; a
signed-in reader, a non-cacheable route or a page that sets a cookie of its own never goes through
the cache; a reader without a CSRF cookie still gets a fresh, valid one; If-None-Match gives 304.
"""

import asyncio
import re
import uuid
from typing import Any

import pytest
import sqlalchemy as sa
from litestar import Litestar
from litestar.middleware.csrf import generate_csrf_hash
from litestar.testing import TestClient

from portal.core.db import session_scope
from portal.core.pagecache import PUBLIC_TABLES, PublicPageCache, writes_public_data
from portal.selections.models import AnnouncementText
from tests.conftest import sign_in
from tests.integration.perf.test_query_counts import queries

LIST = "/akmola/announcements"


def page_cache(app: Litestar) -> PublicPageCache:
    layer: Any = app.asgi_handler
    while not isinstance(layer, PublicPageCache):
        layer = layer.app
    return layer


def anonymous(app: Litestar) -> TestClient[Litestar]:
    return TestClient(app=app, base_url="http://127.0.0.1")


def test_a_stored_page_costs_no_query_and_reads_the_same(app: Litestar) -> None:
    with anonymous(app) as client:
        first = client.get(LIST)
        again = queries(app, client, LIST)
        second = client.get(LIST)
    assert len(again) == 0, again.statements
    assert second.text == first.text
    assert second.headers["etag"] == first.headers["etag"]
    assert second.headers["cache-control"] == "no-cache"
    assert "Accept-Language" in second.headers["vary"]


def test_every_reader_without_a_csrf_cookie_gets_a_fresh_valid_one(app: Litestar) -> None:
    secret = app.csrf_config.secret  # type: ignore[union-attr]
    tokens = []
    for _ in range(3):
        with anonymous(app) as client:
            response = client.get(LIST)
            tokens.append(client.cookies["csrftoken"])
        assert response.status_code == 200
    assert len(set(tokens)) == 3  # never one token shared by everyone who read a stored page
    for token in tokens:
        assert generate_csrf_hash(token[:64], secret) == token[64:]
    with anonymous(app) as client:
        client.get(LIST)
        assert "set-cookie" not in client.get(LIST).headers  # the reader has one: none is added


def test_if_none_match_on_a_stored_page_is_answered_304(app: Litestar) -> None:
    with anonymous(app) as client:
        etag = client.get(LIST).headers["etag"]
        client.get(LIST)
        hits = page_cache(app).hits
        revalidated = client.get(LIST, headers={"if-none-match": etag})
    assert revalidated.status_code == 304
    assert revalidated.content == b""
    assert revalidated.headers["etag"] == etag
    assert page_cache(app).hits == hits + 1


def test_a_write_to_a_public_table_shows_at_once(app: Litestar) -> None:
    with anonymous(app) as client:
        html = client.get(LIST).text
        selection = re.findall(r'href="/akmola/announcements/([0-9a-f-]{36})"', html)[0]
        detail = f"/akmola/announcements/{selection}"
        before = client.get(detail, headers={"accept-language": "kk"}).text
        client.get(detail, headers={"accept-language": "kk"})  # stored now
        _set_title(app, selection, "Жаңартылған тақырып")
        try:
            after = client.get(detail, headers={"accept-language": "kk"}).text
        finally:
            old = re.search(r"<h1[^>]*>\s*([^<]+?)\s*</h1>", before)
            assert old is not None
            _set_title(app, selection, old.group(1))
        restored = client.get(detail, headers={"accept-language": "kk"}).text
    assert "Жаңартылған тақырып" in after
    assert "Жаңартылған тақырып" not in before
    assert restored == before


def _set_title(app: Litestar, selection: str, title: str) -> None:
    """Written through an engine of its own, as another part of the process would."""

    async def write() -> None:
        async with session_scope(app.state.settings) as session:
            await session.execute(
                sa.update(AnnouncementText)
                .where(
                    AnnouncementText.selection_id == uuid.UUID(selection),  # type: ignore[arg-type]
                    AnnouncementText.language == "kk",  # type: ignore[arg-type]
                )
                .values(title=title)
            )

    asyncio.run(write())


def test_a_signed_in_reader_never_reads_or_fills_the_cache(app: Litestar) -> None:
    with TestClient(app=app, base_url="http://127.0.0.1") as reader:
        assert sign_in(reader, "candidate-aigerim").status_code == 303
        mine = queries(app, reader, LIST)
        again = queries(app, reader, LIST)
        assert len(mine) > 0 and len(again) > 0  # rendered for them each time
        assert "/auth/logout" in reader.get(LIST).text
    with anonymous(app) as client:
        assert "/auth/logout" not in client.get(LIST).text


@pytest.mark.parametrize("path", ["/rules", "/readyz"])
def test_routes_not_marked_cacheable_are_never_stored(app: Litestar, path: str) -> None:
    cache = page_cache(app)
    with anonymous(app) as client:
        client.get(path)
        hits = cache.hits
        client.get(path)
    assert cache.hits == hits
    assert not any(key[1] == path for key in cache.pages)


def test_the_cache_can_be_turned_off(app: Litestar) -> None:
    cache = page_cache(app)
    seconds, cache.seconds = cache.seconds, 0
    try:
        with anonymous(app) as client:
            client.get(LIST)
            assert len(queries(app, client, LIST)) > 0
    finally:
        cache.seconds = seconds


@pytest.mark.parametrize(
    ("statement", "public"),
    [
        ("UPDATE selection SET status=? WHERE selection.id = ?", True),
        ('INSERT INTO "announcement_text" (selection_id, language) VALUES (?, ?)', True),
        ("DELETE FROM selection_direction WHERE selection_direction.selection_id = ?", True),
        ("INSERT OR REPLACE INTO sector_direction (code) VALUES (?)", True),
        ("WITH moved AS (SELECT 1) UPDATE selection SET quota = 1", True),
        ("UPDATE reserve_membership SET status=? WHERE reserve_membership.id = ?", True),
        ("INSERT INTO publication_consent (id, membership_id) VALUES (?, ?)", True),
        ("DROP TABLE anything", True),
        ("SELECT selection.id FROM selection", False),
        ("UPDATE application SET status=? WHERE application.selection_id = ?", False),
        ("INSERT INTO session_store (key, value) VALUES (?, ?)", False),
        ("INSERT INTO audit_event (seq, object_type) VALUES (?, ?)", False),
    ],
)
def test_which_statements_change_the_public_pages(statement: str, public: bool) -> None:
    assert writes_public_data(statement) is public


def test_cached_pages_read_only_the_tables_whose_writes_renew_them(app: Litestar) -> None:
    """A cached page that starts reading another table must add it to PUBLIC_TABLES, or a write
    there would leave the stored page stale; this lists what each cached route reads."""
    cache = page_cache(app)
    seconds, cache.seconds = cache.seconds, 0
    try:
        with anonymous(app) as client:
            one = re.findall(r'href="(/astana/announcements/[0-9a-f-]{36})"', client.get("/astana/").text)[0]
            paths = ["/", "/astana/", LIST, f"{LIST}?status=open", one, "/announcements.atom"]
            paths += ["/astana/announcements.atom", "/astana/reserve/public"]
            statements: list[str] = []

            def keep(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
                statements.append(statement)

            engine = app.state.alchemy.get_engine().sync_engine
            sa.event.listen(engine, "before_cursor_execute", keep)
            try:
                for path in paths:
                    assert client.get(path).status_code == 200, path
            finally:
                sa.event.remove(engine, "before_cursor_execute", keep)
    finally:
        cache.seconds = seconds
    read = {
        table.lower()
        for statement in statements
        for table in re.findall(r'\b(?:FROM|JOIN)\s+"?(\w+)"?', statement, re.IGNORECASE)
    }
    assert "selection" in read and "announcement_text" in read  # the statements were seen whole
    assert read <= PUBLIC_TABLES, read - PUBLIC_TABLES
